from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "avvik.duties"
    label = "duties"
    verbose_name = _("Statutory duties")

    def ready(self) -> None:
        # Closing a case asks this area whether a statutory alert or a breach decision is missing.
        from avvik.duties import closing  # noqa: F401
