"""API clients (systems registered for an organisation) and their tokens, and the log of their calls."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles
from avvik.access.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from avvik.tenancy.models import User


class ApiClientQuerySet(ScopedQuerySet["ApiClient"]):
    def scope(self, roles: Roles, user: "User") -> Q | None:
        """The contact point registers and manages the clients of its partnership."""
        return Q(partnership__in=roles.runs_settings_of) if roles.runs_settings_of else None


class ApiClient(models.Model):
    """A system that calls the API for one organisation, through its own service account.

    The service account is an ordinary person row with an unusable password and memberships that
    follow the scopes, so every scoping rule, permission and service applies to the system as it
    does to people (docs/api.md).
    """

    partnership = models.ForeignKey(
        "tenancy.Partnership", on_delete=models.PROTECT, related_name="api_clients", verbose_name=_("partnership")
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.PROTECT, related_name="api_clients", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    service_account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("service account"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="api_client_name_unique_in_organisation",
                violation_error_message=_("The organisation already has a client with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ApiTokenQuerySet(ScopedQuerySet["ApiToken"]):
    def scope(self, roles: Roles, user: "User") -> Q | None:
        return Q(client__partnership__in=roles.runs_settings_of) if roles.runs_settings_of else None


class ApiToken(models.Model):
    """A bearer token of a client. Only its SHA-256 hash is stored: the secret is shown once."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("client"))
    prefix = models.CharField(_("prefix"), max_length=16, help_text=_("The start of the token, to recognise it."))
    token_hash = models.CharField(_("hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    def is_valid_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > moment


class ApiCallQuerySet(ScopedQuerySet["ApiCall"]):
    def scope(self, roles: Roles, user: "User") -> Q | None:
        return Q(client__partnership__in=roles.runs_settings_of) if roles.runs_settings_of else None


class ApiCall(models.Model):
    """One authenticated call: who, which token, what, and the answer's status. Reads of cases are
    also written to the cases' own access log, as the pages write them."""

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="calls", verbose_name=_("client"))
    token = models.ForeignKey(
        ApiToken, on_delete=models.SET_NULL, null=True, related_name="calls", verbose_name=_("token")
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status"))

    objects = ApiCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at", "-pk"]
        indexes = [
            # A client's calls, newest first, on the client page.
            models.Index(fields=["client", "-at"], name="apicall_client_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.path} {self.status}"
