from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "avvik.measures"
    label = "measures"
    verbose_name = _("Measures")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from avvik.measures import notices  # noqa: F401  (registers what the measure e-mails say)
        from avvik.measures.models import Measure

        auditlog.register(Measure)
