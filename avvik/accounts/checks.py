"""System checks about signing in."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def second_factor_in_production(app_configs, **kwargs):
    """Normen asks for strong authentication: production without a second factor is a choice
    to be made on purpose (for example behind a sign-on that already gives one)."""
    if settings.PRODUCTION and settings.SECOND_FACTOR == "off":
        return [
            Warning(
                "SECOND_FACTOR is off in production: coordinators and administrators log in with a password alone.",
                hint="Set SECOND_FACTOR=admins (the default) or everyone.",
                id="samhandling.W001",
            )
        ]
    return []
