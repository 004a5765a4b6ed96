from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "avvik.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from avvik.cases.models import Transition
        from avvik.webhooks.events import transition_saved

        # Every status change, whichever service made it, is written for the parties' systems in
        # the same transaction.
        post_save.connect(transition_saved, sender=Transition, dispatch_uid="webhooks-transition")
