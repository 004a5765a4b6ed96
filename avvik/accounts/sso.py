"""Single sign-on with OpenID Connect (HelseID, ID-porten, Entra ID) on mozilla-django-oidc.

Nobody gets an account from single sign-on: people and their roles are set up by
administrators. A login is matched on the stored (issuer, subject); failing that, once, on a
verified e-mail address, and the subject is then stored on the person."""

import enum
import logging
import time
import uuid
from pathlib import Path

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from avvik.tenancy.models import User

__all__ = [
    "SSO_STRONG_SESSION_KEY",
    "SSOBackend",
    "SSOCallbackView",
    "SSOStartView",
    "axes_exempts_single_sign_on",
    "sso_enabled",
    "sso_is_strong",
    "sso_person_match",
]


# Set in the session when the provider vouches for two factors (acr/amr); the second-factor
# step treats such a session as verified.
SSO_STRONG_SESSION_KEY = "samhandling_sso_strong"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

security_log = logging.getLogger("samhandling.security")


class Refusal(enum.StrEnum):
    NO_ACCOUNT = "no_account"
    FAILED = "failed"


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ISSUER", ""))


def _is_true(value) -> bool:
    # Some providers send JSON booleans as strings.
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _email_verified(claims: dict) -> bool:
    if "email_verified" in claims:
        return _is_true(claims["email_verified"])
    # Entra ID sends no email_verified; its optional claim xms_edov says the tenant owns and
    # has verified the address's domain.
    return _is_true(claims.get("xms_edov"))


def sso_is_strong(claims: dict) -> bool:
    """Whether the ID token says the person logged in with two factors."""
    if claims.get("acr") and claims["acr"] in settings.OIDC_STRONG_ACR_VALUES:
        return True
    amr = claims.get("amr") or []
    if isinstance(amr, str):  # older ID-porten tokens send a single string
        amr = [amr]
    return bool(set(amr) & set(settings.OIDC_STRONG_AMR_VALUES))


@transaction.atomic
def sso_person_match(*, issuer: str, subject: str, email: str, email_verified: bool) -> User | None:
    """Return the active person this identity belongs to, storing the subject at the first login.

    Never creates a person. Every refusal is logged, so an administrator can see who tried.
    """
    person = User.objects.filter(oidc_issuer=issuer, oidc_subject=subject).first()
    if person is not None:
        if not person.is_active:
            security_log.warning("single sign-on refused: person %s is deactivated", person.pk)
            return None
        return person
    if not (email and email_verified):
        security_log.warning(
            "single sign-on refused: no person has subject %r from %s, and the e-mail address %r is not verified",
            subject,
            issuer,
            email,
        )
        return None
    # Never a system's account (API clients have addresses under the reserved .invalid domain).
    candidates = list(
        User.objects.select_for_update()
        .filter(email__iexact=email, is_active=True)
        .exclude(email__iendswith=".invalid")[:2]
    )
    if len(candidates) != 1:
        security_log.warning(
            "single sign-on refused: subject %r from %s has e-mail address %r, which %s active person has",
            subject,
            issuer,
            email,
            "no" if not candidates else "more than one",
        )
        return None
    person = candidates[0]
    if person.oidc_issuer == issuer and person.oidc_subject:
        # The address may have passed to someone else at the provider; the stored subject wins.
        security_log.warning(
            "single sign-on refused: person %s holds another subject from %s than %r", person.pk, issuer, subject
        )
        return None
    person.oidc_issuer, person.oidc_subject = issuer, subject
    try:
        with transaction.atomic():
            person.save(update_fields=["oidc_issuer", "oidc_subject"])
    except IntegrityError:
        # A parallel first login stored this subject on someone else.
        security_log.warning("single sign-on refused: subject %r from %s is already stored", subject, issuer)
        return None
    security_log.info("single sign-on: subject %r from %s stored on person %s", subject, issuer, person.pk)
    return person


def axes_exempts_single_sign_on(request, credentials) -> bool:
    """django-axes counts password guesses. A refused single sign-on is none (the provider has
    checked the person), and counting it would lock out everyone behind a hospital's address."""
    return getattr(request, "samhandling_sso_callback", False)


class SSOBackend(OIDCAuthenticationBackend):
    """Checks the ID token fully and matches an existing person; inert when SSO is off."""

    def __init__(self, *args, **kwargs):
        if sso_enabled():
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = User

    def authenticate(self, request, **kwargs):
        # Only from our callback: the parent would otherwise take ?code=&state= off any login
        # request, such as the password form's, and call the provider with it.
        if not sso_enabled() or not getattr(request, "samhandling_sso_callback", False):
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.PyJWTError as exc:  # e.g. an expired token; the parent only turns DecodeError away
            raise SuspiciousOperation(f"ID token refused: {exc}") from None
        # The parent checks signature, expiry and nonce but neither issuer nor audience.
        if payload.get("iss") != settings.OIDC_ISSUER:
            raise SuspiciousOperation(f"ID token from issuer {payload.get('iss')!r}")
        audience = payload.get("aud")
        audience = [audience] if isinstance(audience, str) else audience or []
        if self.OIDC_RP_CLIENT_ID not in audience:
            raise SuspiciousOperation(f"ID token for audience {payload.get('aud')!r}")
        if len(audience) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation(f"ID token for authorised party {payload.get('azp')!r}")
        if not payload.get("sub") or "exp" not in payload:
            raise SuspiciousOperation("ID token without subject or expiry")
        return payload

    def get_token(self, payload):
        if settings.OIDC_CLIENT_AUTH == "private_key_jwt":
            payload = {key: value for key, value in payload.items() if key != "client_secret"}
            payload.update(client_assertion_type=CLIENT_ASSERTION_TYPE, client_assertion=_client_assertion())
        return super().get_token(payload)

    def get_userinfo(self, access_token, id_token, payload):
        userinfo = super().get_userinfo(access_token, id_token, payload) if self.OIDC_OP_USER_ENDPOINT else {}
        if userinfo and userinfo.get("sub") != payload["sub"]:
            # OpenID Connect Core 5.3.2: userinfo about someone else must not be used.
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        # The signed ID token wins over userinfo for every claim both carry.
        return {**userinfo, **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            claims = self.get_userinfo(access_token, id_token, payload)
        except SuspiciousOperation as exc:
            security_log.warning("single sign-on refused: %s", exc)
            raise
        person = sso_person_match(
            issuer=settings.OIDC_ISSUER,
            subject=payload["sub"],
            email=claims.get("email") or "",
            email_verified=_email_verified(claims),
        )
        if person is None:
            self.request.samhandling_sso_refusal = Refusal.NO_ACCOUNT
            return None
        self.request.samhandling_sso_claims = payload
        return person

    def get_user(self, user_id):
        # The parent returns deactivated people too, which would keep their sessions alive.
        return ModelBackend.get_user(self, user_id)


def _client_assertion() -> str:
    """A short-lived JWT signed with our private key (RFC 7523), in place of a client secret."""
    now = int(time.time())
    claims = {
        "iss": settings.OIDC_RP_CLIENT_ID,
        "sub": settings.OIDC_RP_CLIENT_ID,
        "aud": settings.OIDC_CLIENT_ASSERTION_AUDIENCE,
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 60,
    }
    headers = {"kid": settings.OIDC_CLIENT_KEY_ID} if settings.OIDC_CLIENT_KEY_ID else None
    key = Path(settings.OIDC_CLIENT_PRIVATE_KEY_FILE).read_text()
    return jwt.encode(claims, key, algorithm="RS256", headers=headers)


class _OnlyWhenEnabled:
    def dispatch(self, request, *args, **kwargs):
        if not sso_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SSOStartView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    """Sends the browser to the provider's authorization endpoint."""


@method_decorator(login_not_required, name="dispatch")
class SSOCallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    """Receives the provider's answer; logs the person in or explains on the login page."""

    def get(self, request):
        request.samhandling_sso_callback = True
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # bad state, signature, nonce, issuer, audience
            security_log.warning("single sign-on refused: %s", exc)
        except requests.RequestException as exc:
            security_log.error("single sign-on failed: the provider did not answer properly: %s", exc)
        return self.login_failure()

    def login_success(self):
        response = super().login_success()
        if sso_is_strong(getattr(self.request, "samhandling_sso_claims", {})):
            self.request.session[SSO_STRONG_SESSION_KEY] = True
        else:
            # A weaker login than before in the same session must not inherit the mark.
            self.request.session.pop(SSO_STRONG_SESSION_KEY, None)
        security_log.info("single sign-on: person %s logged in", self.user.pk)
        return response

    def login_failure(self):
        provider = settings.OIDC_PROVIDER_NAME
        if getattr(self.request, "samhandling_sso_refusal", None) == Refusal.NO_ACCOUNT:
            message = _(
                "You were recognised by {provider}, but Samhandling has no active account for you. "
                "Ask the administrator of your organisation for access."
            )
        else:
            message = _(
                "Logging in with {provider} did not succeed. Try again, or log in with your e-mail address "
                "and password."
            )
        messages.error(self.request, message.format(provider=provider))
        return redirect(settings.LOGIN_URL)
