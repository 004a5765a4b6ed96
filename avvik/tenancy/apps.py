from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "avvik.tenancy"
    label = "tenancy"
    verbose_name = _("Tenancy")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from avvik.tenancy.models import Membership, Organisation, Partnership, Unit

        # Explicit registration: who changed a tenancy row, and what, is kept in the audit log.
        auditlog.register(Partnership)
        auditlog.register(Organisation)
        auditlog.register(Unit)
        auditlog.register(Membership)
