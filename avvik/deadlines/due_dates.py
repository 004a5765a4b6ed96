"""Due dates in working days: the partnership's policy, its calendar, and a case's clock."""

from datetime import date, datetime
from typing import Protocol

from django.db.models import Q
from django.utils import timezone

from avvik.deadlines.models import ClosureDay, DeadlinePolicy
from avvik.deadlines.workdays import Calendar

DEFAULT_TRIAGE_DAYS = 2
DEFAULT_ANSWER_DAYS = 10
SERIOUS_ANSWER_DAYS = 3


class Clocked(Protocol):
    """What the deadline rules read of a case (a deviation, or anything shaped like one)."""

    partnership_id: int
    category_id: int
    consequence: str
    created_at: datetime
    forwarded_at: datetime | None
    triage_due: date | None
    answer_due: date | None
    waiting_since: datetime | None
    answer_paused_days: int


def calendar_for(partnership_id: int) -> Calendar:
    """Public holidays plus the partnership's own closure days."""
    days = ClosureDay.objects.filter(partnership_id=partnership_id).values_list("date", flat=True)
    return Calendar(closure_days=frozenset(days))


def policy_days(deviation: Clocked) -> tuple[int, int]:
    """(triage days, answer days): the most specific policy wins, category before consequence."""
    # `category IN (x, NULL)` never matches NULL in SQL, hence the explicit OR.
    policies = DeadlinePolicy.objects.filter(partnership_id=deviation.partnership_id).filter(
        Q(category_id=deviation.category_id) | Q(category__isnull=True)
    )
    best, best_rank = None, -1
    for policy in policies:
        if policy.category_id is None and policy.consequence == "":
            rank = 0
        elif policy.category_id is None and policy.consequence == deviation.consequence:
            rank = 1
        elif policy.category_id == deviation.category_id and policy.consequence == "":
            rank = 2
        elif policy.category_id == deviation.category_id and policy.consequence == deviation.consequence:
            rank = 3
        else:
            continue
        if rank > best_rank:
            best, best_rank = policy, rank
    if best is None:
        return DEFAULT_TRIAGE_DAYS, DEFAULT_ANSWER_DAYS
    return best.triage_days, best.answer_days


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def due_dates(deviation: Clocked, calendar: Calendar | None = None) -> dict:
    """The triage and answer due dates the case should have now: the answer's counted from the
    forward, moved on by the working days it already stood still waiting for the reporter."""
    calendar = calendar or calendar_for(deviation.partnership_id)
    triage_days, answer_days = policy_days(deviation)
    values = {"triage_due": calendar.add_working_days(local_date(deviation.created_at), triage_days)}
    if deviation.forwarded_at:
        answer_due = calendar.add_working_days(
            local_date(deviation.forwarded_at), answer_days + deviation.answer_paused_days
        )
        values["answer_due"] = answer_due
    return values


def paused_working_days(deviation: Clocked, resumed_at: datetime, calendar: Calendar | None = None) -> int:
    """The working days the answer clock stood still, waiting for the reporter, until `resumed_at`.

    Counted as the working days after the day the question was asked, up to and including the day
    it was resumed: asked and answered the same day, nothing; asked on a Friday and answered on
    Monday, one day; public holidays and closure days in between do not count.
    """
    if deviation.waiting_since is None:
        return 0
    calendar = calendar or calendar_for(deviation.partnership_id)
    waited = calendar.working_days_between(local_date(deviation.waiting_since), local_date(resumed_at))
    return max(waited, 0)


def paused_answer_due(deviation: Clocked, resumed_at: datetime) -> date | None:
    """Push the answer due date on by the working days spent waiting for the reporter."""
    if deviation.answer_due is None or deviation.waiting_since is None:
        return deviation.answer_due
    calendar = calendar_for(deviation.partnership_id)
    waited = paused_working_days(deviation, resumed_at, calendar)
    return calendar.add_working_days(deviation.answer_due, waited) if waited > 0 else deviation.answer_due


def working_days_left(deviation: Clocked, today: date, calendar: Calendar | None = None) -> int | None:
    """Working days until the answer (or, before triage, the triage) is due; negative when overdue."""
    due = deviation.answer_due if deviation.forwarded_at else deviation.triage_due
    if due is None:
        return None
    calendar = calendar or calendar_for(deviation.partnership_id)
    return calendar.working_days_between(today, due)
