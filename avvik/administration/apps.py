from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    name = "avvik.administration"
    label = "administration"
    verbose_name = _("Administration")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from avvik.administration import emails  # noqa: F401 - registers the invitation link with the outbox
        from avvik.administration.models import Invitation
        from avvik.tenancy.models import User

        # Who invited, deactivated or reactivated whom, and when (roles: tenancy registers Membership).
        auditlog.register(Invitation, exclude_fields=["token_hash"])
        auditlog.register(User, include_fields=["email", "full_name", "is_active", "is_staff", "is_superuser"])
