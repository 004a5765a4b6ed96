"""Single sign-on: the whole OpenID Connect login against a local provider over real HTTP."""

import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from django.contrib.auth import get_user
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from avvik.accounts.sso import SSO_STRONG_SESSION_KEY
from avvik.tenancy.models import User
from tests.factories import PASSWORD
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Identity, Provider, new_key
from tests.processes import run_check

pytestmark = pytest.mark.django_db

NO_ACCOUNT = "Samhandling has no active account for you"
FAILED = "did not succeed"


@pytest.fixture
def provider():
    provider = Provider().start()
    yield provider
    provider.stop()


@pytest.fixture
def sso(settings, provider):
    """Single sign-on configured the way an operator would: endpoints copied from discovery."""
    meta = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_ISSUER = meta["issuer"]
    settings.OIDC_PROVIDER_NAME = "HelseID"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = meta["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = meta["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = meta["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = meta["jwks_uri"]
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "avvik.accounts.sso.SSOBackend"]
    return provider


@pytest.fixture
def browser():
    # English, so that the messages can be compared with their source text.
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def sso_login(browser, provider, identity, *, next_url=None):
    """Start at our site, pass the provider over HTTP, and come back to the callback."""
    provider.identity = identity
    start = browser.get(reverse("oidc_authentication_init"), {"next": next_url} if next_url else {})
    assert start.status_code == 302
    assert start["Location"].startswith(provider.issuer + "/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.netloc == "testserver"
    assert back.path == reverse("oidc_authentication_callback")
    return browser.get(f"{back.path}?{back.query}")


def logged_in_as(browser):
    user = get_user(browser)
    return user if user.is_authenticated else None


def error_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "error"]


def verified(email, **claims):
    return {"email": email, "email_verified": True, **claims}


# The way in.


def test_login_page_offers_single_sign_on_only_when_configured(browser, world, settings, provider):
    assert b"Log in with" not in browser.get(reverse("login")).content
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_PROVIDER_NAME = "HelseID"
    page = browser.get(reverse("login"), {"next": "/avvik/mine/"})
    assert "Log in with HelseID" in page.content.decode()
    assert f"{reverse('oidc_authentication_init')}?next=/avvik/mine/" in page.content.decode()


def test_start_and_callback_are_404_when_single_sign_on_is_off(browser, world):
    assert browser.get(reverse("oidc_authentication_init")).status_code == 404
    assert browser.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"}).status_code == 404


def test_start_asks_for_the_configured_security_level_with_pkce(browser, sso, settings):
    settings.OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": "idporten-loa-high"}
    query = parse_qs(urlsplit(browser.get(reverse("oidc_authentication_init"))["Location"]).query)
    assert query["acr_values"] == ["idporten-loa-high"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["nonce"] and query["state"]


# Matching people.


def test_person_with_stored_subject_is_logged_in_in_a_new_session_and_sent_on(browser, sso, reporter):
    reporter.oidc_issuer, reporter.oidc_subject = sso.issuer, "subject-1"
    reporter.save()
    browser.get(reverse("oidc_authentication_init"))  # the session that holds state and nonce
    anonymous_session = browser.cookies["sessionid"].value
    response = sso_login(browser, sso, Identity("subject-1"), next_url="/avvik/mine/")
    assert response.status_code == 302
    assert response["Location"] == "/avvik/mine/"
    assert logged_in_as(browser) == reporter
    assert browser.cookies["sessionid"].value != anonymous_session
    assert browser.get("/avvik/mine/").status_code == 200


def test_first_login_by_verified_email_stores_the_subject(browser, sso, reporter, caplog):
    with caplog.at_level(logging.INFO, logger="samhandling.security"):
        sso_login(browser, sso, Identity("subject-1", userinfo_claims=verified("Reporter@Sykehus.test")))
    assert logged_in_as(browser) == reporter
    reporter.refresh_from_db()
    assert (reporter.oidc_issuer, reporter.oidc_subject) == (sso.issuer, "subject-1")
    assert "stored on person" in caplog.text
    # The next login matches on the subject, whatever the e-mail address says now.
    browser.logout()
    sso_login(browser, sso, Identity("subject-1", userinfo_claims={"email": "new@elsewhere.test"}))
    assert logged_in_as(browser) == reporter


def test_entra_domain_verified_email_counts_as_verified(browser, sso, reporter):
    sso_login(browser, sso, Identity("entra-1", id_token_claims={"email": reporter.email, "xms_edov": True}))
    assert logged_in_as(browser) == reporter


def test_unverified_email_is_refused(browser, sso, reporter):
    claims = {"email": reporter.email, "email_verified": False}
    response = sso_login(browser, sso, Identity("subject-1", userinfo_claims=claims))
    assert response["Location"] == reverse("login")
    assert logged_in_as(browser) is None
    assert NO_ACCOUNT in error_messages(response)[0]
    reporter.refresh_from_db()
    assert reporter.oidc_subject == ""


def test_email_without_verified_claim_is_refused(browser, sso, reporter):
    sso_login(browser, sso, Identity("subject-1", userinfo_claims={"email": reporter.email}))
    assert logged_in_as(browser) is None


def test_unknown_person_is_refused_with_a_message_and_logged_and_no_account_is_made(browser, sso, world, caplog):
    people = User.objects.count()
    with caplog.at_level(logging.WARNING, logger="samhandling.security"):
        response = sso_login(browser, sso, Identity("stranger", userinfo_claims=verified("stranger@example.no")))
    assert logged_in_as(browser) is None
    assert User.objects.count() == people
    assert response["Location"] == reverse("login")
    assert error_messages(response) == [
        "You were recognised by HelseID, but Samhandling has no active account for you. "
        "Ask the administrator of your organisation for access."
    ]
    page = browser.get(response["Location"])
    assert NO_ACCOUNT in page.content.decode()
    assert "'stranger'" in caplog.text
    assert "stranger@example.no" in caplog.text


def test_deactivated_person_is_refused_by_subject(browser, sso, reporter, caplog):
    reporter.oidc_issuer, reporter.oidc_subject, reporter.is_active = sso.issuer, "subject-1", False
    reporter.save()
    with caplog.at_level(logging.WARNING, logger="samhandling.security"):
        response = sso_login(browser, sso, Identity("subject-1"))
    assert logged_in_as(browser) is None
    assert NO_ACCOUNT in error_messages(response)[0]
    assert "deactivated" in caplog.text


def test_deactivated_person_is_refused_by_email(browser, sso, reporter):
    reporter.is_active = False
    reporter.save()
    sso_login(browser, sso, Identity("subject-1", userinfo_claims=verified(reporter.email)))
    assert logged_in_as(browser) is None
    reporter.refresh_from_db()
    assert reporter.oidc_subject == ""


def test_deactivating_a_person_ends_their_single_sign_on_session(browser, sso, reporter):
    sso_login(browser, sso, Identity("subject-1", userinfo_claims=verified(reporter.email)))
    assert logged_in_as(browser) == reporter
    User.objects.filter(pk=reporter.pk).update(is_active=False)
    assert logged_in_as(browser) is None


def test_email_of_a_person_holding_another_subject_is_refused(browser, sso, reporter):
    reporter.oidc_issuer, reporter.oidc_subject = sso.issuer, "subject-1"
    reporter.save()
    sso_login(browser, sso, Identity("subject-2", userinfo_claims=verified(reporter.email)))
    assert logged_in_as(browser) is None
    reporter.refresh_from_db()
    assert reporter.oidc_subject == "subject-1"


def test_subject_stored_from_another_issuer_is_replaced_at_a_verified_login(browser, sso, reporter):
    reporter.oidc_issuer, reporter.oidc_subject = "https://old-provider.test", "old-subject"
    reporter.save()
    sso_login(browser, sso, Identity("subject-1", userinfo_claims=verified(reporter.email)))
    assert logged_in_as(browser) == reporter
    reporter.refresh_from_db()
    assert (reporter.oidc_issuer, reporter.oidc_subject) == (sso.issuer, "subject-1")


def test_subject_from_another_issuer_does_not_match(browser, sso, reporter):
    reporter.oidc_issuer, reporter.oidc_subject = "https://other-provider.test", "subject-1"
    reporter.save()
    sso_login(browser, sso, Identity("subject-1"))
    assert logged_in_as(browser) is None


def test_userinfo_about_someone_else_is_refused(browser, sso, reporter, caplog):
    identity = Identity("subject-1", userinfo_claims={**verified(reporter.email), "sub": "subject-2"})
    with caplog.at_level(logging.WARNING, logger="samhandling.security"):
        response = sso_login(browser, sso, identity)
    assert logged_in_as(browser) is None
    assert FAILED in error_messages(response)[0]
    assert "another subject" in caplog.text


def test_refused_single_sign_on_does_not_lock_out_the_address(browser, sso, reporter, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        sso_login(browser, sso, Identity(f"stranger-{attempt}"))
    response = browser.post(reverse("login"), {"username": reporter.email, "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(browser) == reporter


def test_address_locked_out_by_password_guesses_may_still_use_single_sign_on(browser, sso, linked, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        browser.post(reverse("login"), {"username": linked.email, "password": "wrong password"})
    assert browser.post(reverse("login"), {"username": linked.email, "password": PASSWORD}).status_code == 429
    sso_login(browser, sso, Identity("subject-1"))
    assert logged_in_as(browser) == linked


def test_administrator_can_see_and_set_the_stored_identity(client, django_user_model, reporter):
    admin = django_user_model.objects.create_superuser(email="root@example.no", password=PASSWORD, full_name="Root")
    client.force_login(admin)
    page = client.get(reverse("admin:tenancy_user_change", args=[reporter.pk])).content.decode()
    assert 'name="oidc_issuer"' in page
    assert 'name="oidc_subject"' in page


# Tokens that must not be believed.


@pytest.fixture
def linked(sso, reporter):
    reporter.oidc_issuer, reporter.oidc_subject = sso.issuer, "subject-1"
    reporter.save()
    return reporter


def test_id_token_with_wrong_signature_is_refused(browser, sso, linked, caplog):
    sso.sign_with_unpublished_key = True
    with caplog.at_level(logging.WARNING, logger="samhandling.security"):
        response = sso_login(browser, sso, Identity("subject-1"))
    assert logged_in_as(browser) is None
    assert FAILED in error_messages(response)[0]
    assert "verification failed" in caplog.text


def test_id_token_with_wrong_nonce_is_refused(browser, sso, linked, caplog):
    sso.nonce_override = "not-the-nonce-we-sent"
    with caplog.at_level(logging.WARNING, logger="samhandling.security"):
        response = sso_login(browser, sso, Identity("subject-1"))
    assert logged_in_as(browser) is None
    assert FAILED in error_messages(response)[0]
    assert "Nonce" in caplog.text


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"iss": "https://evil.test"}, id="other issuer"),
        pytest.param({"aud": "another-client"}, id="other audience"),
        pytest.param({"aud": [CLIENT_ID, "another-client"], "azp": "another-client"}, id="other party"),
        pytest.param({"exp": int(time.time()) - 60}, id="expired"),
    ],
)
def test_id_token_not_meant_for_us_is_refused(browser, sso, linked, claims):
    response = sso_login(browser, sso, Identity("subject-1", id_token_claims=claims))
    assert logged_in_as(browser) is None
    assert FAILED in error_messages(response)[0]


def test_callback_with_unknown_state_is_refused(browser, sso, linked):
    sso_login(browser, sso, Identity("subject-1"))  # a session with a state of its own
    browser.logout()
    browser.get(reverse("oidc_authentication_init"))
    response = browser.get(reverse("oidc_authentication_callback"), {"code": "stolen", "state": "forged"})
    assert response.status_code == 302
    assert logged_in_as(browser) is None
    assert FAILED in error_messages(response)[0]


def test_callback_without_a_started_login_is_refused(browser, sso, linked):
    response = browser.get(reverse("oidc_authentication_callback"), {"code": "stolen", "state": "forged"})
    assert response["Location"] == reverse("login")
    assert logged_in_as(browser) is None


def test_replayed_callback_is_refused(browser, sso, linked):
    sso.identity = Identity("subject-1")
    start = browser.get(reverse("oidc_authentication_init"))
    callback = requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    browser.get(callback)
    assert logged_in_as(browser) == linked
    browser.logout()
    browser.get(callback)
    assert logged_in_as(browser) is None


def test_provider_that_does_not_answer_gives_a_message_not_an_error(browser, sso, linked, settings):
    sso.identity = Identity("subject-1")
    start = browser.get(reverse("oidc_authentication_init"))
    callback = requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    sso.stop()
    response = browser.get(callback)
    assert response.status_code == 302
    assert FAILED in error_messages(response)[0]


def test_provider_error_answer_gives_a_message(browser, sso):
    browser.get(reverse("oidc_authentication_init"))
    response = browser.get(reverse("oidc_authentication_callback"), {"error": "access_denied", "state": "x"})
    assert response["Location"] == reverse("login")
    assert FAILED in error_messages(response)[0]


# Client authentication at the token endpoint.


def test_client_secret_basic(browser, sso, linked, settings):
    settings.OIDC_TOKEN_USE_BASIC_AUTH = True
    sso.client_auth = "client_secret_basic"
    sso_login(browser, sso, Identity("subject-1"))
    assert logged_in_as(browser) == linked


def test_private_key_jwt_sends_a_signed_assertion_and_no_secret(browser, sso, linked, settings, tmp_path):
    key = new_key()
    key_file = tmp_path / "client.pem"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    settings.OIDC_CLIENT_AUTH = "private_key_jwt"
    settings.OIDC_CLIENT_PRIVATE_KEY_FILE = str(key_file)
    settings.OIDC_CLIENT_KEY_ID = "client-key-1"
    settings.OIDC_CLIENT_ASSERTION_AUDIENCE = sso.issuer
    sso.client_auth = "private_key_jwt"
    sso.client_public_key = key.public_key()
    sso_login(browser, sso, Identity("subject-1"))
    assert logged_in_as(browser) == linked
    assert "client_secret" not in sso.token_requests[-1]


def test_private_key_jwt_with_a_key_the_provider_does_not_know_is_refused(browser, sso, linked, settings, tmp_path):
    key_file = tmp_path / "client.pem"
    key_file.write_bytes(
        new_key().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    settings.OIDC_CLIENT_AUTH = "private_key_jwt"
    settings.OIDC_CLIENT_PRIVATE_KEY_FILE = str(key_file)
    settings.OIDC_CLIENT_ASSERTION_AUDIENCE = sso.issuer
    sso.client_auth = "private_key_jwt"
    sso.client_public_key = new_key().public_key()
    response = sso_login(browser, sso, Identity("subject-1"))
    assert logged_in_as(browser) is None
    assert FAILED in error_messages(response)[0]


# Strong authentication for the second-factor step.


@pytest.fixture
def strong_levels(settings):
    settings.OIDC_STRONG_ACR_VALUES = ["idporten-loa-high"]
    settings.OIDC_STRONG_AMR_VALUES = ["mfa"]


def test_strong_acr_marks_the_session(browser, sso, linked, strong_levels):
    sso_login(browser, sso, Identity("subject-1", id_token_claims={"acr": "idporten-loa-high"}))
    assert logged_in_as(browser) == linked
    assert browser.session[SSO_STRONG_SESSION_KEY] is True


def test_weaker_acr_does_not_mark_the_session(browser, sso, linked, strong_levels):
    sso_login(browser, sso, Identity("subject-1", id_token_claims={"acr": "idporten-loa-substantial"}))
    assert logged_in_as(browser) == linked
    assert SSO_STRONG_SESSION_KEY not in browser.session


def test_mfa_amr_marks_the_session(browser, sso, linked, strong_levels):
    sso_login(browser, sso, Identity("subject-1", id_token_claims={"amr": ["pwd", "mfa"]}))
    assert browser.session[SSO_STRONG_SESSION_KEY] is True


def test_acr_from_userinfo_alone_does_not_count(browser, sso, linked, strong_levels):
    sso_login(browser, sso, Identity("subject-1", userinfo_claims={"acr": "idporten-loa-high"}))
    assert logged_in_as(browser) == linked
    assert SSO_STRONG_SESSION_KEY not in browser.session


def test_no_strong_values_configured_marks_nothing(browser, sso, linked):
    sso_login(browser, sso, Identity("subject-1", id_token_claims={"acr": "idporten-loa-high", "amr": ["mfa"]}))
    assert SSO_STRONG_SESSION_KEY not in browser.session


def test_password_login_still_works_beside_single_sign_on(browser, sso, reporter):
    response = browser.post(reverse("login"), {"username": reporter.email, "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(browser) == reporter
    assert SSO_STRONG_SESSION_KEY not in browser.session


def test_code_and_state_on_the_password_form_are_ignored(browser, sso, reporter):
    url = f"{reverse('login')}?code=anything&state=anything"
    response = browser.post(url, {"username": reporter.email, "password": "wrong password"})
    assert response.status_code == 200  # the form again, with its error
    assert logged_in_as(browser) is None
    assert sso.token_requests == []


# Configuration.


def test_issuer_without_client_stops_start_up_naming_the_variable(tmp_path):
    result = run_check(tmp_path, OIDC_ISSUER="https://helseid-sts.nhn.no")
    assert result.returncode != 0
    assert "OIDC_CLIENT_ID" in result.stderr


def test_client_without_issuer_stops_start_up(tmp_path):
    result = run_check(tmp_path, OIDC_CLIENT_ID="samhandling")
    assert result.returncode != 0
    assert "OIDC_ISSUER" in result.stderr


def test_complete_configuration_starts(tmp_path):
    result = run_check(
        tmp_path,
        OIDC_ISSUER="https://login.microsoftonline.com/tenant/v2.0",
        OIDC_CLIENT_ID="samhandling",
        OIDC_CLIENT_SECRET="secret",
        OIDC_AUTHORIZATION_ENDPOINT="https://login.microsoftonline.com/tenant/oauth2/v2.0/authorize",
        OIDC_TOKEN_ENDPOINT="https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
        OIDC_JWKS_ENDPOINT="https://login.microsoftonline.com/tenant/discovery/v2.0/keys",
    )
    assert result.returncode == 0, result.stderr
