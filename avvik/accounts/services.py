"""Writes about a person's own account: the second factor and their settings."""

import enum
import secrets
from base64 import b32encode
from binascii import unhexlify

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from avvik.accounts.second_factor import RECOVERY_DEVICE_NAME, TOTP_DEVICE_NAME, second_factor_required
from avvik.tenancy.models import User

RECOVERY_CODE_COUNT = 10


# 16 base32 characters: 80 random bits, the most the token column holds.
RECOVERY_CODE_BYTES = 10


def authenticator_confirm(*, request: HttpRequest, key: str, code: str) -> list[str] | None:
    """Stores the key shown at set-up once a code from the app proves the app holds it.
    Returns the new recovery codes, or None when the code is wrong. The session counts as
    verified from then on."""
    user = request.user
    check = TOTP(unhexlify(key), digits=6)
    try:
        token = int("".join(code.split()))
    except ValueError:
        return None
    if not check.verify(token, tolerance=1):
        return None
    with transaction.atomic():
        # One authenticator per person: a new one replaces the old.
        TOTPDevice.objects.filter(user=user).delete()
        # last_t: the code just used cannot log in again.
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=check.t())
        codes = _recovery_codes_replace(user)
    otp_login(request, device)
    return codes


def recovery_codes_renew(*, user: User) -> list[str]:
    with transaction.atomic():
        return _recovery_codes_replace(user)


def _recovery_codes_replace(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _recovery_code() -> str:
    return b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode().lower()


class Verification(enum.Enum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    # Too many wrong codes lately: django-otp makes the person wait before the next try.
    WAIT = "wait"


def second_factor_verify(*, request: HttpRequest, code: str) -> Verification:
    """Checks a code from the app (six digits) or a recovery code (used once), and marks the
    session verified when it matches."""
    code = "".join(code.split()).lower()
    user = request.user
    model = TOTPDevice if code.isdigit() and len(code) <= 8 else StaticDevice
    devices = list(model.objects.filter(user=user, confirmed=True))
    allowed = [device for device in devices if device.verify_is_allowed()[0]]
    if devices and not allowed:
        return Verification.WAIT
    for device in allowed:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            otp_login(request, verified)
            return Verification.ACCEPTED
    return Verification.REFUSED


def second_factor_remove(*, user: User) -> None:
    """Turns the second factor off for a person who is not required to have one."""
    if second_factor_required(user):
        raise PermissionDenied(_("Your role requires a second factor; it cannot be turned off."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


# The language someone chose before signing in (on the login page), kept in the session until the
# first request after login stores it on their account.
LANGUAGE_BEFORE_LOGIN_SESSION_KEY = "samhandling_language_before_login"


def preferences_update(
    *,
    user: User,
    notification_delivery: str | None = None,
    language: str | None = None,
    keyboard_shortcuts: bool | None = None,
) -> None:
    fields = []
    if keyboard_shortcuts is not None:
        user.keyboard_shortcuts = keyboard_shortcuts
        fields.append("keyboard_shortcuts")
    if notification_delivery is not None:
        user.notification_delivery = notification_delivery
        fields.append("notification_delivery")
    if language is not None:
        user.language = language
        fields.append("language")
    if fields:
        user.save(update_fields=fields)
