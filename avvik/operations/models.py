"""What the operators watch: the worker's heartbeat."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task; read by /healthz."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.name}: {self.beat_at:%Y-%m-%d %H:%M:%S}"


class PeriodicRun(models.Model):
    """The last completed run of a periodic job (the reminder sweep), read by the metrics at scrape
    time: a row in the database is the same for every web process that is scraped."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    finished_at = models.DateTimeField(_("finished at"))
    duration_seconds = models.FloatField(_("duration in seconds"))

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return f"{self.name}: {self.duration_seconds:.1f} s at {self.finished_at:%Y-%m-%d %H:%M:%S}"
