from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "avvik.inbox"
    label = "inbox"
    verbose_name = _("Notifications in the site")

    def ready(self) -> None:
        from avvik.inbox.services import notices_write
        from avvik.outbox.writing import rows_written_listener

        # Every outbox row written for a person gets its notice here, in the same transaction.
        rows_written_listener(notices_write)
