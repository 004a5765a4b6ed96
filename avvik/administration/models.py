"""Invitations: how a person is brought in by an administrator, without a superuser."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.tenancy.choices import Role
from avvik.tenancy.models import Organisation, Partnership, Unit


class Invitation(models.Model):
    """An invitation by e-mail to take roles in an organisation or a partnership.

    The link's token is never stored: only its SHA-256. The token is an HMAC of the row under the
    site's secret, so the e-mail built later by the outbox can give it again; a database copy alone
    cannot."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("partnership")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, related_name="+", null=True, blank=True, verbose_name=_("unit")
    )
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=200)
    roles = models.JSONField(_("roles"), default=list)
    # The person the invitation is for: made at invitation (with no password) so that the outbox can write to them.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("person")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The throttle and "a newer invitation to the same address": invitations by address and age.
            models.Index(fields=["email", "created_at"], name="invitation_email_created"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation or self.partnership})"

    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]
