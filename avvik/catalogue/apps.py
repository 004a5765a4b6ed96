from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "avvik.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from avvik.catalogue.models import AgreementClause, Category

        # Explicit registration: who changed the catalogue, and what, is kept in the audit log.
        auditlog.register(Category)
        auditlog.register(AgreementClause)
