from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrafficConfig(AppConfig):
    name = "avvik.traffic"
    label = "traffic"
    verbose_name = _("Message traffic")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from avvik.traffic.models import ResponseTime, TrafficPolicy

        # Who changed an agreed response time, and from what, is kept in the audit log.
        auditlog.register(TrafficPolicy)
        auditlog.register(ResponseTime)
