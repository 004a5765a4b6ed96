"""The reminder sweep: finds what is due in the database (no long-ETA tasks) and writes the
reminders and escalations to the outbox, where a unique key makes each one happen once.

It reads only the cases whose reminder clock (avvik.reminders.models) has come round: each case's
clock holds the first day on which the sweep has something new to write for it, so a sweep with
nothing newly due reads no case at all, however many are open.
"""

import functools
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import QuerySet
from django.utils import timezone

from avvik.access.people import HANDLING_ROLES, LEADING_ROLES, coordinators_of, handlers_of, leaders_of
from avvik.cases.choices import ANSWER_CLOCK_RUNNING, Status
from avvik.cases.models.deviation import Deviation
from avvik.core.threads import in_threads
from avvik.deadlines.due_dates import calendar_for
from avvik.deadlines.phrases import reason_of
from avvik.deadlines.workdays import Calendar
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import Notice, RecipientOrganisations, notify_all
from avvik.reminders.models import ReminderClock
from avvik.tenancy.models import Membership, User


@dataclass(frozen=True, slots=True)
class BatchDone:
    """What one batch did: its cases, the rows it inserted, and its notices."""

    cases: int
    written: int
    notices: list[Notice]


@dataclass
class SweepResult:
    """What one sweep did: the cases it looked at and the rows this call inserted, not those another
    sweep running at the same time wrote for the same cases (each key is written once, by one of them)."""

    cases: int = 0
    written: int = 0


# Told of each batch's notices once their rows are committed, in the caller's thread whichever
# thread wrote them; each notice's `ids` are the rows this call wrote for it (the send_reminders
# command prints and sends them).
BatchListener = Callable[[list[Notice]], object]


def sweep_deadlines(today: date | None = None, *, on_batch: BatchListener | None = None) -> SweepResult:
    """Write every reminder and escalation that is due by `today`, once; return how much it did."""
    today = today or timezone.localdate()
    result = SweepResult()
    sweep = _Sweep(today)
    with closing(in_threads(sweep.batch, _due_batches(today), workers=_workers())) as batches:
        for done in batches:
            result.cases += done.cases
            result.written += done.written
            if on_batch is not None:
                on_batch([notice for notice in done.notices if notice.ids])
    return result


def _due_batches(today: date) -> Iterator[dict[int, int]]:
    """The due cases' clocks (case: changes), a batch at a time."""
    clocks: dict[int, int] = {}
    for deviation_id, changes in due_clocks(today).values_list("deviation_id", "changes").iterator(chunk_size=BATCH):
        clocks[deviation_id] = changes
        if len(clocks) >= BATCH:
            yield clocks
            clocks = {}
    if clocks:
        yield clocks


def _workers() -> int:
    """Batches handled at once. On PostgreSQL most of a batch is the database's work (writing and
    checking the rows), so two connections keep two cores busy; SQLite writes one at a time."""
    connection = connections[router.db_for_write(ReminderClock) or DEFAULT_DB_ALIAS]
    return settings.REMINDER_SWEEP_WORKERS if connection.vendor == "postgresql" else 1


def due_clocks(today: date) -> QuerySet[ReminderClock]:
    """The clocks of the cases with something to write by `today`: read through their partial index."""
    return ReminderClock.objects.filter(due_on__lte=today)


# Cases handled per transaction: few enough for short transactions, many enough that the
# outbox is written in a handful of queries per batch instead of several per case.
BATCH = 2000


@dataclass(frozen=True, slots=True)
class SweptCase:
    """What the sweep reads of a case, nothing of its free text, as plain values: a model instance
    per case cost more than everything else the sweep does. It stands for the case in its notices
    (avvik.outbox.writing.Case; send_reminders prints the reference)."""

    pk: int
    reference: str
    partnership_id: int
    status: str
    triage_due: date | None
    answer_due: date | None
    responsible_organisation_id: int | None
    reporting_organisation_id: int | None
    assignee_id: int | None


# What the sweep reads of a case handler: whether and how to tell them.
ASSIGNEE_FIELDS = ("id", "email", "is_active", "notification_delivery")
CASE_FIELDS = tuple(name if name != "pk" else "id" for name in SweptCase.__slots__)


class _Sweep:
    """One sweep's day, and what it learns once and uses for many cases: calendars and people."""

    def __init__(self, today: date):
        self.today = today
        self.before = settings.REMINDER_DAYS_BEFORE
        self.escalate_after = settings.ESCALATE_AFTER_DAYS
        self.people: dict[tuple, list] = {}
        self.calendars: dict[int, Calendar] = {}
        self.handling: dict[int, set[int]] = {}  # case handler: the organisations they handle for
        self.assignees: dict[int, User] = {}
        self.organisations = RecipientOrganisations()  # whose written form each recipient's e-mail takes
        self.reading = threading.Lock()

    def assignees_read(self, ids: set[int]) -> None:
        """The case handlers not yet known, in one query: they are told of their cases' deadlines."""
        unknown = ids - self.assignees.keys()
        if unknown:
            for user in User.objects.filter(pk__in=unknown).only(*ASSIGNEE_FIELDS):
                self.assignees[user.pk] = user

    def batch(self, clocks: dict[int, int]) -> BatchDone:
        """Write one batch's notices and move its clocks on, in one transaction. Batches may run
        at once in several threads: what they learn of people is read under a lock."""
        cases = [
            SweptCase(*values)
            for values in Deviation.objects.filter(pk__in=clocks).order_by("pk").values_list(*CASE_FIELDS)
        ]
        with self.reading:
            self.assignees_read({case.assignee_id for case in cases if case.assignee_id is not None})
            self.handling_read({user for case in cases if (user := self.assignees.get(case.assignee_id or 0))})
            self.members_read({deviation.responsible_organisation_id for deviation in cases})
        notices: list[Notice] = []
        next_day: dict[tuple[date | None, int], list[int]] = defaultdict(list)
        for deviation in cases:
            day = self.case(deviation, notices)
            next_day[day, clocks[deviation.pk]].append(deviation.pk)
        gone = set(clocks) - {pk for ids in next_day.values() for pk in ids}
        with transaction.atomic():
            notify_all(notices, organisations=self.organisations)
            # Moved on only if the case has not changed since its clock was read: a change sets it
            # to "look now" and counts up `changes`, and that is kept for the next sweep.
            _clocks_move_on(next_day)
            if gone:
                ReminderClock.objects.filter(deviation_id__in=gone).delete()
        return BatchDone(len(clocks), sum(len(notice.ids) for notice in notices), notices)

    def handling_read(self, assignees: set) -> None:
        """The organisations each case handler handles for, in one query for those not yet known
        (access.people.handles_for, for many people at once)."""
        unknown = {user.pk for user in assignees if user.pk not in self.handling}
        if not unknown:
            return
        handling: dict[int, set[int]] = {pk: set() for pk in unknown}
        active = {user.pk for user in assignees if user.is_active}
        rows = Membership.objects.filter(
            user_id__in=unknown & active, partnership__isnull=False, role__in=HANDLING_ROLES
        ).values_list("user_id", "organisation_id", "partnership_id")
        for user_id, organisation_id, partnership_id in rows:
            # As access.roles.roles_of counts a role held for the whole partnership.
            handling[user_id].add(organisation_id if organisation_id is not None else partnership_id)
        self.handling.update(handling)

    def members_read(self, organisations: set[int | None]) -> None:
        """The handlers and leaders of the organisations not yet known, in one query for all of
        them: the same people as access.people.handlers_of and leaders_of give one by one."""
        unknown = {pk for pk in organisations if pk is not None and ("handlers", pk) not in self.people}
        if not unknown:
            return
        found: dict[tuple[str, int | None], dict[int, User]] = {}
        for name in ("handlers", "leaders"):
            for pk in unknown:
                found[name, pk] = {}
        rows = (
            Membership.objects.filter(organisation_id__in=unknown, role__in=HANDLING_ROLES, user__is_active=True)
            .exclude(user__email__iendswith=".invalid")
            .select_related("user")
        )
        for membership in rows:
            found["handlers", membership.organisation_id][membership.user_id] = membership.user
            if membership.role in LEADING_ROLES:
                found["leaders", membership.organisation_id][membership.user_id] = membership.user
        for key, users in found.items():
            self.people[key] = list(users.values())

    def calendar(self, partnership_id: int) -> Calendar:
        if partnership_id not in self.calendars:
            self.calendars[partnership_id] = calendar_for(partnership_id)
        return self.calendars[partnership_id]

    def cached(self, name: str, key, lookup) -> list:
        if (name, key) not in self.people:
            self.people[name, key] = list(lookup(key))
        return self.people[name, key]

    def case(self, deviation: SweptCase, notices: list[Notice]) -> date | None:
        """Add the case's notices due today; return the next day it has something new, if any."""
        calendar = self.calendar(deviation.partnership_id)
        steps: list[tuple[str, list, str, int]] = []
        upcoming: date | None = None
        if deviation.status in ANSWER_CLOCK_RUNNING and deviation.answer_due:
            due = deviation.answer_due
            left = _left(calendar, self.today, due)
            steps = [
                (kind, self.answer_recipients(deviation, kind), threshold, left)
                for kind, threshold in self.answer_steps(left, due)
            ]
            upcoming = _answer_step_day(calendar, self.today, due, self.before, self.escalate_after)
        elif deviation.status == Status.SUBMITTED and deviation.triage_due:
            due = deviation.triage_due
            if due < self.today:
                coordinators = self.cached("coordinators", deviation.partnership_id, coordinators_of)
                steps = [
                    (NotificationKind.TRIAGE_OVERDUE, coordinators, due.isoformat(), _left(calendar, self.today, due))
                ]
            else:
                upcoming = due + timedelta(days=1)  # overdue the day after
        for kind, recipients, threshold, left in steps:
            if recipients:
                notices.append(Notice(kind, recipients, deviation, threshold=threshold, reason=reason_of(left)))
            else:
                # Nobody to tell yet: asked again tomorrow, as someone may have been given the role.
                upcoming = self.today + timedelta(days=1)
        return upcoming

    def answer_steps(self, left: int, due: date) -> list[tuple[str, str]]:
        """(kind, threshold) of the answer reminders due with `left` working days to go."""
        steps: list[tuple[str, str]] = []
        if 0 < left <= self.before:
            steps.append((NotificationKind.REMINDER_BEFORE, f"{due.isoformat()}:before"))
        if left == 0:  # past the due day the escalation ladder takes over
            steps.append((NotificationKind.REMINDER_DUE, f"{due.isoformat()}:due"))
        if left < 0:
            steps.append((NotificationKind.ESCALATION_LEADER, due.isoformat()))
        if left <= -self.escalate_after:
            steps.append((NotificationKind.ESCALATION_CONTACT_POINT, due.isoformat()))
        return steps

    def answer_recipients(self, deviation: SweptCase, kind: str) -> list:
        org = deviation.responsible_organisation_id
        if kind == NotificationKind.ESCALATION_LEADER:
            return self.cached("leaders", org, leaders_of)
        if kind == NotificationKind.ESCALATION_CONTACT_POINT:
            return self.cached("coordinators", deviation.partnership_id, coordinators_of)
        # The case handler, while they still handle for the organisation; else all its handlers.
        assignee = self.assignees.get(deviation.assignee_id) if deviation.assignee_id is not None else None
        if assignee and org is not None and org in self.handling.get(assignee.pk, ()):
            return [assignee]
        return self.cached("handlers", org, handlers_of)


def _clocks_move_on(next_day: dict[tuple[date | None, int], list[int]]) -> None:
    """Set each clock to its next day, where `changes` is still what the sweep read."""
    connection = connections[router.db_for_write(ReminderClock) or DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        for (day, changes), ids in next_day.items():
            ReminderClock.objects.filter(deviation_id__in=ids, changes=changes).update(due_on=day)
        return
    # One statement for the batch: the days are many (one per due day), the cases thousands.
    rows = [(pk, changes, day) for (day, changes), ids in next_day.items() for pk in ids]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reminders_reminderclock AS clock SET due_on = moved.day "
            "FROM unnest(%s::bigint[], %s::integer[], %s::date[]) AS moved(id, changes, day) "
            "WHERE clock.deviation_id = moved.id AND clock.changes = moved.changes",
            [[row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows]],
        )


@functools.lru_cache(maxsize=4096)
def _left(calendar: Calendar, today: date, due: date) -> int:
    """Working days from `today` to `due`; negative when overdue (many cases share a due day)."""
    return calendar.working_days_between(today, due)


@functools.lru_cache(maxsize=4096)
def _answer_step_day(calendar: Calendar, today: date, due: date, before: int, escalate_after: int) -> date | None:
    """The first day after `today` on which an answer due on `due` has a step it has not had by
    today; None once the last step (the contact point) is due."""

    def stage(left: int) -> int:
        # The steps in the order they come; each later stage has a step no earlier one had.
        if left > before:
            return 0
        if left > 0:
            return 1
        if left == 0:
            return 2
        return 3 if left > -escalate_after else 4

    now = stage(_left(calendar, today, due))
    if now == 4:
        return None
    # The stage never goes back as the days pass: find the first later one by doubling, then halving.
    low, step = 0, 1  # today + low days is still in the stage of today
    while stage(_left(calendar, today + timedelta(days=step), due)) == now:
        low, step = step, step * 2
    high = step
    while high - low > 1:
        middle = (low + high) // 2
        if stage(_left(calendar, today + timedelta(days=middle), due)) == now:
            low = middle
        else:
            high = middle
    return today + timedelta(days=high)
