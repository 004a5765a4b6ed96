"""Second factor: set-up with a QR code, codes at login, recovery codes, and no way around it."""

import datetime
import re
from base64 import b32encode
from binascii import unhexlify

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from avvik.accounts.second_factor import SSO_BACKEND
from avvik.accounts.sso import SSO_STRONG_SESSION_KEY
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from tests.builders import file_case
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

VERIFY = reverse("second_factor")
SETUP = reverse("second_factor_setup")


@pytest.fixture
def required_for_admins(settings):
    settings.SECOND_FACTOR = "admins"


def log_in(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the password step itself must succeed"
    return client


def code_for(key: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(unhexlify(key))
    totp.time = totp.time + steps_ahead * 30
    return f"{totp.token():06d}"


def later(*, minutes: int):
    """A later moment, frozen: a code from the app then is a new one, and stays valid."""
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


def enrol(user) -> tuple[str, list[str]]:
    """Sets the person up through the pages; returns the key and the recovery codes."""
    client = log_in(user)
    page = client.get(SETUP).content.decode()
    key = client.session["samhandling_totp_setup_key"]
    assert "<svg" in page
    assert client.post(SETUP, {"code": code_for(key)}).status_code == 302
    return key, recovery_codes_on(client.get(reverse("second_factor_codes")))


def recovery_codes_on(page) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{16})</code></li>", page.content.decode())


def test_it_is_off_in_the_embedded_demo_by_default(client, coordinator):
    client = log_in(coordinator)
    assert client.get(reverse("preferences")).status_code == 200
    assert client.get(SETUP).status_code == 404


def test_a_coordinator_without_a_device_is_sent_to_set_one_up_and_then_works(required_for_admins, coordinator):
    client = log_in(coordinator)
    response = client.get(reverse("cases:all"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.get(response["Location"])["Location"].startswith(SETUP)

    page = client.get(SETUP).content.decode()
    assert 'role="img"' in page and "<svg" in page  # the QR code, drawn on the server
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    key = client.session["samhandling_totp_setup_key"]
    assert secret.replace(" ", "") in b32encode(unhexlify(key)).decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists(), "showing the page stores nothing"

    wrong = client.post(SETUP, {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert "Koden stemmer ikke" in wrong.content.decode()
    assert client.post(SETUP, {"code": "12ab"}).status_code == 200

    done = client.post(SETUP, {"code": code_for(key), "next": reverse("cases:all")})
    assert done.status_code == 302
    codes = recovery_codes_on(client.get(done["Location"]))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert recovery_codes_on(client.get(reverse("second_factor_codes"))) == [], "shown once"
    assert client.get(reverse("cases:all")).status_code == 200
    assert TOTPDevice.objects.get(user=coordinator).confirmed


def test_the_next_login_asks_for_a_code_and_a_used_code_does_not_work_twice(required_for_admins, coordinator):
    key, _codes = enrol(coordinator)
    client = log_in(coordinator)
    response = client.get(reverse("cases:triage"))
    assert response["Location"] == f"{VERIFY}?next=%2Favvik%2Ftriage%2F"
    refused = client.post(VERIFY, {"code": "999999" if code_for(key, steps_ahead=5) != "999999" else "888888"})
    assert refused.status_code == 200
    assert client.get(reverse("cases:triage")).status_code == 302

    with later(minutes=2):
        client = log_in(coordinator)
        accepted = client.post(VERIFY, {"code": code_for(key), "next": "/avvik/triage/"})
        assert accepted["Location"] == "/avvik/triage/"
        assert client.get(reverse("cases:triage")).status_code == 200

        replay = log_in(coordinator)
        assert replay.post(VERIFY, {"code": code_for(key)}).status_code == 200, "a code is accepted once"


def test_a_recovery_code_works_once(required_for_admins, coordinator):
    _key, codes = enrol(coordinator)
    client = log_in(coordinator)
    assert client.post(VERIFY, {"code": codes[0].upper()})["Location"] == reverse("pages:home")
    assert StaticDevice.objects.get(user=coordinator).token_set.count() == 9
    again = log_in(coordinator)
    with later(minutes=1):
        assert again.post(VERIFY, {"code": codes[0]}).status_code == 200
        assert again.get(reverse("preferences"))["Location"].startswith(VERIFY)


def test_wrong_codes_make_the_person_wait(required_for_admins, coordinator):
    key, _codes = enrol(coordinator)
    client = log_in(coordinator)
    wrong = "000000" if code_for(key) != "000000" else "111111"
    client.post(VERIFY, {"code": wrong})
    page = client.post(VERIFY, {"code": code_for(key)}).content.decode()
    assert "For mange feil koder" in page
    assert client.get(reverse("preferences"))["Location"].startswith(VERIFY)


def test_a_reporter_may_choose_and_once_on_it_is_asked_for(required_for_admins, reporter):
    client = log_in(reporter)
    assert client.get(reverse("preferences")).status_code == 200, "optional for reporters"
    key, _codes = enrol(reporter)
    client = log_in(reporter)
    assert client.get(reverse("preferences"))["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"code": code_for(key, steps_ahead=1)}).status_code == 302
    assert client.post(reverse("second_factor_remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=reporter).exists()
    assert not StaticDevice.objects.filter(user=reporter).exists()
    assert log_in(reporter).get(reverse("preferences")).status_code == 200


def test_a_coordinator_cannot_turn_it_off(required_for_admins, coordinator):
    key, _codes = enrol(coordinator)
    client = log_in(coordinator)
    client.post(VERIFY, {"code": code_for(key, steps_ahead=1)})
    client.post(reverse("second_factor_remove"))
    assert TOTPDevice.objects.filter(user=coordinator).exists()


def test_everyone_mode_requires_it_of_a_reporter(settings, reporter):
    settings.SECOND_FACTOR = "everyone"
    client = log_in(reporter)
    assert client.get(reverse("cases:mine"))["Location"].startswith(VERIFY)


def test_a_password_reset_does_not_get_around_it(required_for_admins, coordinator):
    enrol(coordinator)
    coordinator.refresh_from_db()  # the token covers the last login, which enrolling changed
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(coordinator.pk))
    token = default_token_generator.make_token(coordinator)
    form = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    new = "et helt nytt passord 2026"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.get(reverse("cases:all")).status_code == 302  # not signed in by the reset
    client.post(reverse("login"), {"username": coordinator.email, "password": new})
    assert client.get(reverse("cases:all"))["Location"].startswith(VERIFY)


def test_the_admin_login_does_not_get_around_it(required_for_admins, coordinator):
    coordinator.is_staff = True
    coordinator.is_superuser = True
    coordinator.save()
    enrol(coordinator)
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": coordinator.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    for url in ("/admin/", "/admin/cases/deviation/", "/admin/otp_totp/totpdevice/"):
        assert client.get(url)["Location"].startswith(VERIFY), url


def test_a_direct_url_or_a_post_does_not_get_around_it(required_for_admins, coordinator, reporter, world):
    enrol(coordinator)
    case = file_case(reporter, world.municipality)
    client = log_in(coordinator)
    response = client.post(reverse("cases:action", args=[case.reference, "accept"]), {"version": case.version})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert Deviation.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert client.get(reverse("cases:detail", args=[case.reference]))["Location"].startswith(VERIFY)
    assert client.get(reverse("second_factor_codes"))["Location"].startswith(VERIFY)
    assert client.get(SETUP)["Location"] == VERIFY, "a new device needs the old one first"


def test_logging_out_and_switching_language_stay_open(required_for_admins, coordinator):
    enrol(coordinator)
    client = log_in(coordinator)
    assert client.post(reverse("set_language"), {"language": "en", "next": VERIFY}).status_code == 302
    assert "Two-step login" in client.get(VERIFY).content.decode()
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_strong_sign_on_counts_as_the_second_factor(required_for_admins, coordinator, settings):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, SSO_BACKEND]
    client = Client()
    client.force_login(coordinator, backend=SSO_BACKEND)
    session = client.session
    session[SSO_STRONG_SESSION_KEY] = True
    session.save()
    assert client.get(reverse("preferences")).status_code == 200


def test_the_strong_mark_does_not_carry_over_to_a_password_login(required_for_admins, coordinator):
    client = log_in(coordinator)
    session = client.session
    session[SSO_STRONG_SESSION_KEY] = True  # left by an earlier sign-on in the same browser session
    session.save()
    assert client.get(reverse("preferences"))["Location"].startswith(VERIFY)


def test_a_next_address_elsewhere_is_not_followed(required_for_admins, coordinator):
    key, _codes = enrol(coordinator)
    client = log_in(coordinator)
    response = client.post(VERIFY, {"code": code_for(key, steps_ahead=1), "next": "https://evil.example/"})
    assert response["Location"] == reverse("pages:home")


def test_production_without_a_second_factor_is_a_deploy_warning(settings):
    from avvik.accounts.checks import second_factor_in_production

    settings.PRODUCTION = True
    settings.SECOND_FACTOR = "off"
    assert [warning.id for warning in second_factor_in_production(None)] == ["samhandling.W001"]
    settings.SECOND_FACTOR = "admins"
    assert second_factor_in_production(None) == []
