"""Querysets of cases. `Deviation.objects.visible_to(user)` is the one door for reading deviations."""

from datetime import date
from typing import TYPE_CHECKING, Self, TypeVar

from django.db.models import Model, Q

from avvik.access.roles import Roles
from avvik.access.scoping import ScopedQuerySet, case_rule, internal_note_rule
from avvik.cases.choices import ANSWER_CLOCK_RUNNING, Status
from avvik.tenancy.models import User

if TYPE_CHECKING:
    # Named in the querysets' type arguments below (ruff does not see names in strings there).
    from avvik.cases.models import Comment, Deviation  # noqa: F401

_M = TypeVar("_M", bound=Model)


class DeviationQuerySet(ScopedQuerySet["Deviation"]):
    def scope(self, roles: Roles, user: User) -> Q | None:
        return case_rule(roles)

    def overdue(self, today: date) -> Self:
        """Cases past the deadline that runs now: triage before forwarding, the answer after."""
        # Each half matches a partial index (see Deviation.Meta.indexes).
        return self.filter(
            Q(status=Status.SUBMITTED, triage_due__lt=today) | Q(status__in=ANSWER_CLOCK_RUNNING, answer_due__lt=today)
        )

    def for_list(self) -> Self:
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related(
            "reporting_organisation", "counterpart", "responsible_organisation", "category", "assignee"
        )


class CaseRecordQuerySet(ScopedQuerySet[_M]):
    """What hangs on a case (its timeline, attachments, patient reference): readable with the case."""

    def scope(self, roles: Roles, user: User) -> Q | None:
        return case_rule(roles, "deviation__")


class CommentQuerySet(ScopedQuerySet["Comment"]):
    """The shared thread with the case; internal notes only for the handlers of the writer's
    organisation, the contact point and the writer (access.scoping.internal_note_rule)."""

    def scope(self, roles: Roles, user: User) -> Q | None:
        rule = case_rule(roles, "deviation__")
        if rule is None:
            return None
        return rule & internal_note_rule(roles)
