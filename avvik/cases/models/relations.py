"""Relations between two cases of the same partnership: the same event, a duplicate, a cause."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import RelationKind
from avvik.cases.models.deviation import Deviation
from avvik.cases.querysets import RelationQuerySet
from avvik.tenancy.models import Partnership


class Relation(models.Model):
    """A link from one case (`source`) to another (`target`) of the same partnership. Read as
    "source <kind> target": source is a duplicate of target, source was caused by target. Each
    reader sees only the relations whose both cases they may read (selectors.relations_of)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="+", verbose_name=_("partnership")
    )
    source = models.ForeignKey(
        Deviation, on_delete=models.CASCADE, related_name="relations_from", verbose_name=_("case")
    )
    target = models.ForeignKey(
        Deviation, on_delete=models.CASCADE, related_name="relations_to", verbose_name=_("related case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RelationKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RelationQuerySet.as_manager()

    class Meta:
        verbose_name = _("relation between cases")
        verbose_name_plural = _("relations between cases")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                name="relation_once_per_pair",
                violation_error_message=_("The two cases are already related."),
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="relation_between_two_cases",
                violation_error_message=_("A case cannot be related to itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"
