"""System checks run by `manage.py check` (and so by `make run` before anything starts)."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def weasyprint_libraries(app_configs, **kwargs):
    """WeasyPrint needs Pango from the operating system to render the council's PDF reports."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        return [
            Error(
                f"WeasyPrint cannot load its system libraries ({exc}).",
                hint="Install Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
                id="samhandling.E001",
            )
        ]
    return []


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
