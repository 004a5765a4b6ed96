"""Work queues: the lists that drive a coordinator's, a handler's and a reporter's day.

Each queue is a saved, shareable view: a URL, with any filter in the query string. A queue says who
may open it, which cases it holds (always inside `Deviation.objects.visible_to(user)`), the statuses
it shows while the person has not chosen any (ended cases stay out of working queues), and its
default order. The navigation counts each queue with a capped count (`queue_counts`), in one query.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles, roles_of
from avvik.cases.choices import OPEN_STATUSES, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.querysets import DeviationQuerySet, merged_mains
from avvik.core.literals import WrittenExact
from avvik.core.statements import KeptStatements
from avvik.tenancy.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The navigation counts at most this many cases of a queue and shows more as "99+": COUNT over a
# LIMIT stops early, however many cases a partnership holds.
COUNT_CAP = 100

# What a handler still has work on; answered and ended cases are out until a status filter asks.
BEING_HANDLED = (Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING)

# Default orders (keys of avvik.cases.filters.SORTS).
URGENT = "urgent"
WAITING_FIRST = "waiting_first"
NEWEST = "-created"

COORDINATOR = "coordinator"
HANDLER = "handler"
REPORTER = "reporter"

# The heading of each group of queues in the navigation.
GROUP_LABELS: dict[str, "StrOrPromise"] = {
    COORDINATOR: _("Contact point"),
    HANDLER: _("My organisation"),
    REPORTER: _("Reported by me"),
}

Narrow = Callable[[DeviationQuerySet, Roles, date], DeviationQuerySet]


@dataclass(frozen=True)
class Queue:
    """One work queue. `narrow` picks its cases from those the person may read; `statuses` are the
    ones shown while the filter chooses none (None: every status)."""

    name: str  # the URL name in the cases namespace, and the list's name in exports and saved filters
    label: "StrOrPromise"
    empty_text: "StrOrPromise"
    group: str
    narrow: Narrow
    statuses: tuple[str, ...] | None = OPEN_STATUSES
    ordering: str = URGENT
    # What the navigation counts, when not every case the list shows: a reporter's count is what
    # waits for their answer.
    counted: tuple[str, ...] | None = None

    def allowed(self, roles: Roles) -> bool:
        if self.group == COORDINATOR:
            return roles.is_coordinator
        if self.group == HANDLER:
            return roles.is_handler
        return roles.is_reporter

    def cases(
        self, user: User, *, today: date | None = None, readable: DeviationQuerySet | None = None
    ) -> DeviationQuerySet:
        """The queue's cases as the list shows them without a filter: readable, narrowed, and in
        the default statuses. `readable` is `Deviation.objects.visible_to(user)` when already made."""
        if readable is None:
            readable = Deviation.objects.visible_to(user)
        queryset = self.narrow(readable, roles_of(user), today or timezone.localdate())
        if self.statuses is not None:
            queryset = queryset.filter(status__in=self.statuses)
        return queryset

    def counted_cases(
        self, user: User, *, today: date | None = None, readable: DeviationQuerySet | None = None
    ) -> DeviationQuerySet:
        """The cases the navigation counts for the queue."""
        queryset = self.cases(user, today=today, readable=readable)
        return queryset if self.counted is None else queryset.filter(status__in=self.counted)


def _contact_point(roles: Roles) -> dict[str, Any]:
    return {"partnership__in": roles.coordinator_of}


def _responsible(roles: Roles) -> dict[str, Any]:
    return {"responsible_organisation__in": roles.handles_in}


QUEUES: dict[str, Queue] = {
    queue.name: queue
    for queue in (
        # The contact point.
        Queue(
            "triage",
            _("Intake and routing"),
            _("No new deviations are waiting for intake and routing."),
            COORDINATOR,
            lambda qs, roles, today: qs.filter(status=Status.SUBMITTED, **_contact_point(roles)),
            statuses=None,  # the queue is a status (or a running deadline) of its own
        ),
        Queue(
            "answered",
            _("Answered – to be closed"),
            _("No answered deviations are waiting to be closed."),
            COORDINATOR,
            lambda qs, roles, today: qs.filter(status=Status.ANSWERED, **_contact_point(roles)),
            statuses=None,  # the queue is a status (or a running deadline) of its own
        ),
        Queue(
            "overdue",
            _("Overdue"),
            _("No deviations are past their deadline."),
            COORDINATOR,
            lambda qs, roles, today: qs.filter(**_contact_point(roles)).overdue(today),
            statuses=None,  # the queue is a status (or a running deadline) of its own
        ),
        Queue(
            "waiting",
            _("Waiting for the reporter"),
            _("No deviations are waiting for the reporter."),
            COORDINATOR,
            lambda qs, roles, today: qs.filter(status=Status.WAITING, **_contact_point(roles)),
            statuses=None,  # the queue is a status (or a running deadline) of its own
        ),
        # The responsible organisation's handlers.
        Queue(
            "assigned",
            _("My cases"),
            _("No open deviations are assigned to you."),
            HANDLER,
            lambda qs, roles, today: qs.filter(assignee_id=roles.user_id, **_responsible(roles)),
        ),
        Queue(
            "unassigned",
            _("Without a case handler"),
            _("Every open deviation of your organisation has a case handler."),
            HANDLER,
            lambda qs, roles, today: qs.filter(assignee__isnull=True, **_responsible(roles)),
        ),
        Queue(
            "handling_overdue",
            _("Overdue"),
            _("None of your organisation's deviations are past their deadline."),
            HANDLER,
            lambda qs, roles, today: qs.filter(**_responsible(roles)).overdue(today),
            statuses=None,  # only cases whose deadline runs
        ),
        Queue(
            "handling",
            _("For handling"),
            _("No deviations are waiting for your organisation."),
            HANDLER,
            lambda qs, roles, today: qs.filter(**_responsible(roles)),
            statuses=BEING_HANDLED,
        ),
        # The reporter: every case they filed, what needs their answer first.
        Queue(
            "mine",
            _("My deviations"),
            _("You have not reported any deviations yet."),
            REPORTER,
            # Written, as the reporter's rule has it (avvik.access.scoping.case_rule).
            lambda qs, roles, today: qs.filter(WrittenExact(F("reporter_id"), roles.user_id)),
            statuses=None,
            ordering=WAITING_FIRST,
            counted=(Status.WAITING,),
        ),
    )
}


@dataclass(frozen=True)
class QueueCount:
    """A queue in the navigation: where it is, and how many cases it holds (at most COUNT_CAP)."""

    queue: Queue
    count: int

    @property
    def capped(self) -> bool:
        return self.count >= COUNT_CAP

    @property
    def shown(self) -> str:
        return f"{COUNT_CAP - 1}+" if self.capped else str(self.count)


def queues_for(roles: Roles) -> list[Queue]:
    """The person's queues, the contact point's first."""
    return [queue for queue in QUEUES.values() if queue.allowed(roles)]


def queue_counts(user: User) -> list[QueueCount]:
    """Every queue of the person with its capped count: one query for all of them."""
    roles = roles_of(user)
    queues = queues_for(roles)
    if not queues:
        return []
    today = timezone.localdate()
    statement = _count_statement(user, roles, queues, today)
    counts = run_capped_counts(statement, using=Deviation.objects.db)
    return [QueueCount(queue, count) for queue, count in zip(queues, counts, strict=True)]


@dataclass(frozen=True)
class CappedCounts:
    """One SELECT of capped counts, ready to run: its SQL and parameters, and how many querysets it
    stands for with the positions of those that are empty and so were left out of it."""

    sql: str
    params: tuple[Any, ...]
    size: int
    empty: frozenset[int]


# The navigation's statement for a person, made by the ORM at most once per process for what it
# depends on (the roles, the merged cases they read besides, being a superuser, the day): building
# and compiling ten filtered querysets on every page cost more than running the statement.
_STATEMENTS: "KeptStatements[CappedCounts]" = KeptStatements(2048)


def _count_statement(user: User, roles: Roles, queues: list[Queue], today: date) -> CappedCounts:
    def make() -> CappedCounts:
        # Made once: reading what the person may see can take a query of its own (merged cases).
        readable = Deviation.objects.visible_to(user)
        return capped_counts_statement(
            [queue.counted_cases(user, today=today, readable=readable) for queue in queues], cap=COUNT_CAP
        )

    return _STATEMENTS.get((roles, merged_mains(roles), user.is_superuser, today), make)


def forget_count_statements() -> None:
    """Drop the kept statements (tests that change what a statement is made from)."""
    _STATEMENTS.clear()


def capped_counts(querysets: Sequence[QuerySet[Any]], *, cap: int) -> list[int]:
    """The number of rows of each queryset, at most `cap`, in one SELECT of COUNT(*) over a LIMIT
    subquery per queryset: each stops after `cap` rows found through its indexes."""
    if not querysets:
        return []
    return run_capped_counts(capped_counts_statement(querysets, cap=cap), using=querysets[0].db)


def capped_counts_statement(querysets: Sequence[QuerySet[Any]], *, cap: int) -> CappedCounts:
    """The SELECT that capped_counts runs, with its parameters."""
    parts: list[str] = []
    params: list[Any] = []
    empty: set[int] = set()
    for i, queryset in enumerate(querysets):
        if queryset.query.is_empty():
            empty.add(i)
            continue
        # Unordered: the database may stop at any `cap` rows.
        sql, part_params = queryset.order_by().values("pk")[:cap].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{i})")  # noqa: S608 - the ORM's SQL, its parameters apart
        params.extend(part_params)
    sql = "SELECT " + ", ".join(parts) if parts else ""
    return CappedCounts(sql, tuple(params), len(querysets), frozenset(empty))


def run_capped_counts(statement: CappedCounts, *, using: str) -> list[int]:
    """The counts of a capped-counts statement, one per queryset it was made from."""
    found: list[int] = []
    if statement.sql:
        with connections[using].cursor() as cursor:
            cursor.execute(statement.sql, statement.params)  # the ORM's own SQL and parameters
            row = cursor.fetchone()
            found = list(row) if row else []
    numbers = iter(found)
    return [0 if i in statement.empty else int(next(numbers)) for i in range(statement.size)]
