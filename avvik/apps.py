from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AvvikConfig(AppConfig):
    name = "avvik"
    verbose_name = _("Deviations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from avvik import checks  # noqa: F401  (registers the system checks)
        from avvik.models import Attachment, Comment, Deviation, Membership, Organisation, Partnership, Unit

        # Explicit registration: who changed a tenancy row, and what, is kept in the audit log.
        auditlog.register(Partnership)
        auditlog.register(Organisation)
        auditlog.register(Unit)
        auditlog.register(Membership)
        auditlog.register(Deviation, exclude_fields=["version", "updated_at"])
        auditlog.register(Comment)
        auditlog.register(Attachment, exclude_fields=["file"])
