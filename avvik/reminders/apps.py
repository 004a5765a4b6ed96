from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "avvik.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from avvik.reminders import digests  # noqa: F401  (registers what the weekly summary lists)
