from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "avvik.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from avvik.operations import checks  # noqa: F401  (registers the system checks)
        from avvik.operations.logs import django_structlog_connect

        django_structlog_connect()
