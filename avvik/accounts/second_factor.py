"""Second factor: who must give one, and whether this session has.

django-otp keeps the verified device in the session; a sign-on whose identity provider
vouched for a strong login (see avvik/accounts/sso.py) counts as verified too."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.html import escape
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from avvik.access.roles import roles_of
from avvik.accounts.sso import SSO_STRONG_SESSION_KEY
from avvik.tenancy.models import User

SSO_BACKEND = "avvik.accounts.sso.SSOBackend"

RECOVERY_DEVICE_NAME = "recovery"
TOTP_DEVICE_NAME = "authenticator"


def second_factor_required(user: User) -> bool:
    """Whether the person may not work without a second factor, by the SECOND_FACTOR setting."""
    mode = settings.SECOND_FACTOR
    if mode == "off":
        return False
    if mode == "everyone":
        return True
    roles = roles_of(user)
    return bool(
        user.is_staff or user.is_superuser or roles.coordinator_of or roles.admin_in or roles.partnership_admin_of
    )


def second_factor_enabled(user: User) -> bool:
    """Whether the person has a confirmed device. Asked at every request of a person not yet
    verified in this session, so both kinds of device are looked up in one query, not one each
    (django_otp.user_has_device)."""
    if settings.SECOND_FACTOR == "off":
        return False
    confirmed = {"user": OuterRef("pk"), "confirmed": True}
    return (
        User.objects.filter(pk=user.pk)
        .filter(Exists(TOTPDevice.objects.filter(**confirmed)) | Exists(StaticDevice.objects.filter(**confirmed)))
        .exists()
    )


def session_verified(request: HttpRequest) -> bool:
    user = request.user
    if getattr(user, "is_verified", None) and user.is_verified():
        return True
    # A strong single sign-on counts only while the session is the one that sign-on made: a
    # password login in the same browser session keeps the session's data but not the mark.
    return bool(request.session.get(SSO_STRONG_SESSION_KEY)) and request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND


def needs_verification(request: HttpRequest) -> bool:
    """A signed-in person who must give a code before anything else."""
    user = request.user
    if not user.is_authenticated or session_verified(request):
        return False
    return second_factor_required(user) or second_factor_enabled(user)


SETUP_KEY_SESSION_KEY = "samhandling_totp_setup_key"


def setup_device(request: HttpRequest) -> TOTPDevice:
    """The key offered at set-up, kept in the session (not stored as a device until a code
    from it is confirmed), as an unsaved device for the QR code and the typed secret."""
    key = request.session.get(SETUP_KEY_SESSION_KEY)
    if not key:
        key = request.session[SETUP_KEY_SESSION_KEY] = default_key()
    return TOTPDevice(user=request.user, name=TOTP_DEVICE_NAME, key=key)


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device.token_set.count() if device else 0


def secret_for_display(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, label: str) -> str:
    """The otpauth:// address as an SVG QR code, drawn on the server (no script, no remote image)."""
    code = segno.make(device.config_url, error="m")
    svg = code.svg_inline(scale=5, dark="#000", light="#fff", omitsize=False)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
