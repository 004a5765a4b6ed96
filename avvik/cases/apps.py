from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "avvik.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from avvik.cases import notices  # noqa: F401  (registers what the closing and merge e-mails say)
        from avvik.cases.choices import Status
        from avvik.cases.models import Attachment, Comment, Deviation, Relation
        from avvik.core.literals import inline_choices

        # The open cases' partial indexes name statuses: a kept (generic) plan can use them only
        # when the statuses asked for are in the statement.
        inline_choices(Deviation._meta.get_field("status"), Status.values)
        # So does the index on message ids: it leaves out the empty one.
        inline_choices(Deviation._meta.get_field("message_id"), [""])

        auditlog.register(Deviation, exclude_fields=["version", "updated_at"])
        auditlog.register(Comment)
        auditlog.register(Attachment, exclude_fields=["file"])
        # Relations are removed, not ended: the audit log keeps who linked and unlinked two cases.
        auditlog.register(Relation)
