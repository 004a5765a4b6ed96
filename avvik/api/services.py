"""Writes on API clients: registering, issuing and rotating tokens, revoking."""

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.api.choices import Scope
from avvik.api.models import ApiClient, ApiToken
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, Organisation, User

security_log = logging.getLogger("samhandling.security")

# Tokens read "sam_" + 43 URL-safe characters (32 random bytes); the first 12 are shown in lists.
TOKEN_START = "sam_"  # noqa: S105  # a marker that secret scanners can look for, not a secret
PREFIX_LENGTH = 12
# Service accounts get an address under a reserved top-level domain (RFC 2606) with a random part:
# no mail reaches it and no identity provider can vouch for it, so no login can match it.
SERVICE_ACCOUNT_DOMAIN = "api-clients.invalid"

# The memberships a scope gives the client's service account. Filing needs a reporter; reading the
# organisation's cases needs what its handlers read.
_ROLES_OF_SCOPE = {Scope.CASES_WRITE: Role.REPORTER, Scope.CASES_READ: Role.HANDLER}


def token_hash(token: str) -> str:
    """SHA-256 of the whole token. A token is 32 random bytes, so a fast hash is enough: there is
    nothing to guess that a slow hash would protect."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(*, client: ApiClient, by: User | None, expires_at: datetime) -> tuple[ApiToken, str]:
    token = TOKEN_START + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        client=client,
        prefix=token[:PREFIX_LENGTH],
        token_hash=token_hash(token),
        created_by=by,
        expires_at=expires_at,
    )
    return row, token


def _check_coordinator(by: User, partnership_id: int) -> None:
    if partnership_id not in roles_of(by).runs_settings_of:
        raise PermissionDenied(_("Only the partnership's coordinators manage its API clients."))


@transaction.atomic
def api_client_create(
    *, by: User, organisation: Organisation, name: str, scopes: list[str], valid_days: int
) -> tuple[ApiClient, str]:
    """Register a system for an organisation; return it and its first token (shown once)."""
    _check_coordinator(by, organisation.partnership_id)
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ValidationError({"scopes": _("Choose one or more of the scopes listed.")})
    if ApiClient.objects.filter(organisation=organisation, name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("The organisation already has a client with this name.")})
    account = User.objects.create_user(
        email=f"api-{secrets.token_hex(8)}@{SERVICE_ACCOUNT_DOMAIN}",
        password=None,  # unusable: the account cannot log in with a password
        full_name=_("API: {name}").format(name=name.strip())[:200],
    )
    for scope in sorted(set(scopes)):
        role = _ROLES_OF_SCOPE.get(Scope(scope))
        if role is not None:
            Membership.objects.create(
                user=account, role=role, partnership_id=organisation.partnership_id, organisation=organisation
            )
    client = ApiClient.objects.create(
        partnership_id=organisation.partnership_id,
        organisation=organisation,
        name=name.strip(),
        scopes=sorted(set(scopes)),
        service_account=account,
        created_by=by,
    )
    _token, secret = _new_token(client=client, by=by, expires_at=timezone.now() + timedelta(days=valid_days))
    security_log.info("API client %s registered for organisation %s by person %s", client.pk, organisation.pk, by.pk)
    return client, secret


@transaction.atomic
def api_token_rotate(*, client: ApiClient, by: User, valid_days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a new token; the client's valid tokens expire after a short grace, so the system can
    switch to the new one without a gap."""
    _check_coordinator(by, client.partnership_id)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.is_revoked:
        raise ValidationError(_("The client is revoked: register a new one."))
    now = timezone.now()
    grace_end = now + timedelta(hours=settings.API_TOKEN_ROTATION_GRACE_HOURS)
    for old in client.tokens.filter(revoked_at__isnull=True, expires_at__gt=grace_end):
        old.expires_at = grace_end
        old.save(update_fields=["expires_at"])
    days = valid_days or settings.API_TOKEN_DAYS
    row, secret = _new_token(client=client, by=by, expires_at=now + timedelta(days=days))
    security_log.info("API client %s: token %s issued by person %s", client.pk, row.prefix, by.pk)
    return row, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Refuse one token from now on."""
    _check_coordinator(by, token.client.partnership_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        security_log.info("API token %s revoked by person %s", token.prefix, by.pk)
    return token


@transaction.atomic
def api_client_revoke(*, client: ApiClient, by: User) -> ApiClient:
    """Refuse the client for good: every token is revoked and its service account deactivated, so
    no rule reads anything for it even if a token were somehow accepted."""
    _check_coordinator(by, client.partnership_id)
    if client.revoked_at is not None:
        return client
    now = timezone.now()
    client.revoked_at = now
    client.save(update_fields=["revoked_at"])
    client.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    User.objects.filter(pk=client.service_account_id).update(is_active=False)
    security_log.info("API client %s revoked by person %s", client.pk, by.pk)
    return client


def token_authenticate(token: str) -> ApiToken | None:
    """The valid token row for a presented token, with its client and service account; None when the
    token is unknown, expired or revoked, or its client is revoked or its account inactive."""
    if not token.startswith(TOKEN_START) or len(token) > 100:
        return None
    row = (
        ApiToken.objects.select_related("client", "client__service_account", "client__organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    now = timezone.now()
    if row is None or not row.is_valid_at(now):
        return None
    if row.client.revoked_at is not None or not row.client.service_account.is_active:
        return None
    # Written at most once a minute: a busy client does not cost a write per call.
    if row.last_used_at is None or row.last_used_at < now - timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
