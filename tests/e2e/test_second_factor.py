"""Two-step login in the browser: set-up by scanning (here: reading) the QR code's key, the
recovery codes, then the code page at the next login; every page passes axe-core."""

from binascii import unhexlify

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e


def code(key: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(unhexlify(key))
    totp.time = totp.time + steps_ahead * 30
    return f"{totp.token():06d}"


def test_a_coordinator_sets_up_two_step_login_and_uses_it(page, settings, world, coordinator):
    settings.SECOND_FACTOR = "admins"
    audit = Audit(page)
    login(page, coordinator.email)
    page.goto("/avvik/alle/")
    page.wait_for_url("**/konto/totrinn/ny/**")
    assert page.get_by_role("img", name="QR").is_visible()
    audit.check("set-up", phone_width=True)

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = _hex_from_base32(secret)
    page.get_by_label("Kode fra appen").fill("000000" if code(key) != "000000" else "111111")
    page.get_by_role("button", name="Slå på totrinnsinnlogging").click()
    assert page.locator("#error-summary").is_visible()
    audit.check("set-up with an error")

    page.get_by_label("Kode fra appen").fill(code(key))
    page.get_by_role("button", name="Slå på totrinnsinnlogging").click()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    audit.check("recovery codes", phone_width=True)
    page.get_by_role("link", name="Jeg har tatt vare på kodene").click()
    page.wait_for_url("**/avvik/alle/")
    assert TOTPDevice.objects.get(user=coordinator).confirmed

    login(page, coordinator.email)
    page.goto("/avvik/triage/")
    page.wait_for_url("**/konto/totrinn/?next=**")
    audit.check("code page", phone_width=True)
    page.get_by_label("Kode").fill(code(key, steps_ahead=1))
    page.get_by_role("button", name="Fortsett").click()
    page.wait_for_url("**/avvik/triage/")
    audit.assert_clean()


def _hex_from_base32(secret: str) -> str:
    from base64 import b32decode

    padded = secret + "=" * (-len(secret) % 8)
    return b32decode(padded).hex()
