"""Querysets of cases. `Deviation.objects.visible_to(user)` is the one door for reading deviations."""

from datetime import date
from typing import TYPE_CHECKING, Self, TypeVar

from django.apps import apps
from django.db.models import Case, DateField, F, IntegerField, Model, Q, Value, When

from avvik.access.roles import Roles
from avvik.access.scoping import ScopedQuerySet, case_rule, internal_note_rule
from avvik.cases.choices import ANSWER_CLOCK_RUNNING, ENDED_STATUSES, Status
from avvik.core.literals import Inline
from avvik.tenancy.models import User

if TYPE_CHECKING:
    # Named in the querysets' type arguments below (ruff does not see names in strings there).
    from avvik.cases.models import Comment, Deviation, Relation  # noqa: F401

_M = TypeVar("_M", bound=Model)


def readable_cases(roles: Roles, path: str = "") -> Q | None:
    """The cases a person may read (access.scoping.case_rule), and besides: the main cases that a
    case they filed was merged into, so that the duplicate's reporter follows the main case's
    status, answer and shared thread. `path` leads from the queried model to the case."""
    rule = case_rule(roles, path)
    own_organisations = roles.reporter_in | roles.handles_in
    if roles.user_id is None or not own_organisations:
        return rule
    # Read first, in one small query on the reporter's index, and named by id: a subquery OR'ed into
    # every list would keep the database from walking the indexes case_rule is shaped for, and a join
    # over merged_duplicates would repeat a main case once per duplicate. Most people have none.
    mains = _merged_mains(roles, own_organisations)
    if not mains:
        return rule
    merged = Q(**{f"{path}pk__in": sorted(mains)})
    return merged if rule is None else rule | merged


def merged_mains(roles: Roles) -> frozenset[int]:
    """The main cases that readable_cases lets the person read besides case_rule (their own
    duplicates were merged into them): read once per Roles, none where the rule asks for none."""
    own_organisations = roles.reporter_in | roles.handles_in
    if roles.user_id is None or not own_organisations:
        return frozenset()
    return _merged_mains(roles, own_organisations)


def _merged_mains(roles: Roles, own_organisations: frozenset[int]) -> frozenset[int]:
    """The main cases the person's own duplicates were merged into, read once per Roles (which
    roles_of keeps for one request): a case page asks for it once per thing it shows."""
    kept: frozenset[int] | None = getattr(roles, "_merged_mains", None)
    if kept is not None:
        return kept
    # Looked up by name: the model's module imports this one.
    deviation = apps.get_model("cases", "Deviation")
    mains = frozenset(
        deviation.objects.filter(
            reporter_id=roles.user_id,
            reporting_organisation__in=own_organisations,
            partnership__in=roles.partnerships,
            merged_into__isnull=False,
        ).values_list("merged_into_id", flat=True)
    )
    object.__setattr__(roles, "_merged_mains", mains)  # frozen: set once, beside the fields
    return mains


def waiting_rank() -> Case:
    """0 for a case waiting for its reporter, 2 for an ended one, 1 for the rest: the order of a
    reporter's list, and an expression of the index that serves it (the two must be the same)."""
    return Case(
        When(status=Status.WAITING, then=Value(0)),
        When(status__in=ENDED_STATUSES, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


class DeviationQuerySet(ScopedQuerySet["Deviation"]):
    def scope(self, roles: Roles, user: User) -> Q | None:
        return readable_cases(roles)

    def overdue(self, today: date) -> Self:
        """Cases past the deadline that runs now: triage before forwarding, the answer after."""
        # Each half matches a partial index (see Deviation.Meta.indexes).
        return self.filter(
            Q(status=Status.SUBMITTED, triage_due__lt=today) | Q(status__in=ANSWER_CLOCK_RUNNING, answer_due__lt=today)
        )

    def most_urgent_first(self) -> Self:
        """The deadline that matters for the status, earliest first: triage due while new, answer
        due while forwarded or in progress. Cases with no running deadline (waiting, answered,
        ended) last; the oldest first among equals."""
        running_due = Case(
            When(status=Status.SUBMITTED, then=F("triage_due")),
            When(status__in=ANSWER_CLOCK_RUNNING, then=F("answer_due")),
            default=Value(None),
            output_field=DateField(),
        )
        return self.alias(running_due=running_due).order_by(F("running_due").asc(nulls_last=True), "created_at", "pk")

    def waiting_first(self) -> Self:
        """A reporter's own cases: those waiting for their answer on top, ended ones at the bottom,
        the newest first in between (the order of the index deviation_reporter_waiting)."""
        # The ranks in the statement: a kept plan must see the index's own expression to read it in order.
        return self.alias(waiting_rank=Inline(waiting_rank())).order_by("waiting_rank", "-created_at", "-pk")

    def for_list(self) -> Self:
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related(
            "reporting_organisation", "counterpart", "responsible_organisation", "category", "assignee"
        )


class CaseRecordQuerySet(ScopedQuerySet[_M]):
    """What hangs on a case (its timeline, attachments, patient reference): readable with the case."""

    def scope(self, roles: Roles, user: User) -> Q | None:
        return readable_cases(roles, "deviation__")


class CommentQuerySet(ScopedQuerySet["Comment"]):
    """The shared thread with the case; internal notes only for the handlers of the writer's
    organisation, the contact point and the writer (access.scoping.internal_note_rule)."""

    def scope(self, roles: Roles, user: User) -> Q | None:
        rule = readable_cases(roles, "deviation__")
        if rule is None:
            return None
        return rule & internal_note_rule(roles)


class RelationQuerySet(ScopedQuerySet["Relation"]):
    """A relation is readable only when both its cases are: a reader never learns of a case
    outside their visibility through it, not even its reference."""

    def scope(self, roles: Roles, user: User) -> Q | None:
        source, target = readable_cases(roles, "source__"), readable_cases(roles, "target__")
        if source is None or target is None:
            return None
        return source & target
