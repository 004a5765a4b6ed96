"""The single sign-on button on the login page."""

from django import template
from django.conf import settings

from avvik.accounts.sso import sso_enabled

register = template.Library()


@register.simple_tag
def sso_provider_name() -> str:
    """The provider's name for the button, or "" when single sign-on is off."""
    return settings.OIDC_PROVIDER_NAME if sso_enabled() else ""
