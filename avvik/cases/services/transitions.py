"""Moving a case along its lifecycle: one function for every action of the one table
(cases.lifecycle.LIFECYCLE), which the forms and views are driven from."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.access.people import handlers_of, handles_for
from avvik.cases.choices import Action, Status
from avvik.cases.closing import closing_blocked_by
from avvik.cases.lifecycle import LIFECYCLE
from avvik.cases.models import Deviation, Transition
from avvik.cases.permissions import may_act
from avvik.cases.recipients import case_handlers, contact_point
from avvik.cases.services.filing import StaleVersion, _refresh_due_dates
from avvik.deadlines.due_dates import calendar_for, paused_answer_due, paused_working_days, policy_days
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import notify
from avvik.tenancy.models import User


class TransitionRefused(PermissionDenied):
    """The action is not allowed from the case's status, or not for this person."""


class ClosingBlocked(TransitionRefused):
    """The case may not close while a statutory duty is unrecorded (cases.closing)."""


@transaction.atomic
def deviation_transition(
    *, deviation: Deviation, by: User, action: str, note: str = "", version: int | None = None, **details: Any
) -> Deviation:
    """Take `action` on the case: checked against the table and the person's rights, written with a
    compare-and-swap on the status (and on `version`, when the person's form carried it), recorded
    as a row on the timeline, and told to the people concerned in the same transaction.

    `details` are the action's own fields (LIFECYCLE[action].details): `to` and `category` to
    forward, `assignee` to accept, `cause`, `measures` and `measures_done` to answer, `into` (the
    main case) to merge a duplicate.

    Resuming after a question (the handler's `resume`, or the reporter's `reply`, which
    services.comment_add takes when the reporter writes while the case waits for them) moves the
    answer due date on by the working days the case waited, and keeps that count for due dates
    computed again later.
    """
    step = LIFECYCLE[action]
    unknown = set(details) - set(step.details)
    if unknown:
        raise TypeError(f"{action} takes no {', '.join(sorted(unknown))}")
    if not may_act(by, deviation, action):
        raise TransitionRefused(
            _("“{action}” is not possible for this deviation now.").format(action=Action(action).label)
        )
    if step.note_required and not note.strip():
        raise TransitionRefused(_("A note is required."))
    if action == Action.CLOSE and (reasons := closing_blocked_by(deviation)):
        raise ClosingBlocked(" ".join(reasons))
    now = timezone.now()
    fields = _fields(deviation, by, action, now, **details)
    matching = Deviation.objects.filter(pk=deviation.pk, status=deviation.status)
    if version is not None:
        matching = matching.filter(version=version)
    if not matching.update(status=step.target, version=F("version") + 1, updated_at=now, **fields):
        raise StaleVersion
    row = Transition.objects.create(
        deviation=deviation,
        action=action,
        from_status=deviation.status,
        to_status=step.target,
        by=by,
        at=now,
        note=note,
    )
    deviation.refresh_from_db()
    if action == Action.FORWARD:
        _refresh_due_dates(deviation)
        notify(
            kind=NotificationKind.FORWARDED,
            recipients=handlers_of(deviation.responsible_organisation_id),
            deviation=deviation,
            threshold=str(row.pk),
        )
    if action == Action.MERGE:
        _tell_main_reporter(deviation, row)
    if step.tell_reporter and deviation.reporter and deviation.reporter.is_active:
        notify(kind=step.tell_reporter, recipients=[deviation.reporter], deviation=deviation, threshold=str(row.pk))
    # Nobody is told of their own step.
    if step.tell_handlers:
        handlers = [user for user in case_handlers(deviation) if user.pk != by.pk]
        notify(kind=step.tell_handlers, recipients=handlers, deviation=deviation, threshold=str(row.pk))
    if step.tell_contact_point:
        coordinators = [user for user in contact_point(deviation) if user.pk != by.pk]
        notify(kind=step.tell_contact_point, recipients=coordinators, deviation=deviation, threshold=str(row.pk))
    return deviation


def _tell_main_reporter(duplicate: Deviation, row: Transition) -> None:
    """The main case's reporter learns that another report of the event was merged into theirs."""
    main = duplicate.merged_into
    reporter = main.reporter if main is not None else None
    # One person who filed both learns of it once, as the duplicate's reporter.
    if reporter is None or not reporter.is_active or reporter.pk == duplicate.reporter_id:
        return
    notify(kind=NotificationKind.MERGED_INTO, recipients=[reporter], deviation=main, threshold=str(row.pk))


def _merge_fields(deviation: Deviation, into: Deviation, now: datetime) -> dict[str, Any]:
    """The duplicate ends, pointing at its main case; checked against the main case as it is now."""
    main = Deviation.objects.select_for_update().filter(pk=into.pk).first()
    if main is None or main.partnership_id != deviation.partnership_id:
        raise TransitionRefused(_("The main case must belong to the same partnership."))
    if main.pk == deviation.pk:
        raise TransitionRefused(_("A case cannot be merged into itself."))
    if main.status in (Status.MERGED, Status.REJECTED, Status.WITHDRAWN):
        raise TransitionRefused(_("The main case is merged, rejected or withdrawn; choose the case it was handled in."))
    # One level only: the reporters of cases merged into this one follow it, and would lose the thread.
    if Deviation.objects.filter(merged_into=deviation).exists():
        raise TransitionRefused(_("Other cases are merged into this one: merge the other case into it instead."))
    return {"merged_into": main, "closed_at": now, "waiting_since": None}


def _fields(deviation: Deviation, by: User, action: str, now: datetime, **details: Any) -> dict[str, Any]:
    """The columns the action sets besides the status, after checking its details."""
    match action:
        case Action.FORWARD:
            to, category = details["to"], details.get("category")
            if to.partnership_id != deviation.partnership_id:
                raise TransitionRefused(_("The organisation is not part of this partnership."))
            if category is not None and category.partnership_id != deviation.partnership_id:
                raise TransitionRefused(_("The category belongs to another partnership."))
            # The answer clock starts at the forward: no pause counted yet.
            fields = {
                "responsible_organisation": to,
                "forwarded_at": now,
                "triaged_at": deviation.triaged_at or now,
                "assignee": None,
                "answer_paused_days": 0,
            }
            return fields | ({"category": category} if category is not None else {})
        case Action.REJECT:
            return {"closed_at": now, "waiting_since": None, "triaged_at": deviation.triaged_at or now}
        case Action.WITHDRAW | Action.CLOSE:
            # A case closed while waiting for the reporter waits no more.
            return {"closed_at": now, "waiting_since": None}
        case Action.ACCEPT:
            assignee = details.get("assignee")
            if assignee is not None and not handles_for(assignee, deviation.responsible_organisation_id):
                raise TransitionRefused(_("The case handler must handle deviations for the responsible organisation."))
            return {"assignee": assignee or by}
        case Action.WAIT:
            return {"waiting_since": now}
        case Action.RESUME | Action.REPLY:
            # The clock stood still while waiting for the reporter: the due date moves on as many
            # working days, and the count is kept for a due date computed again (a corrected category).
            return {
                "waiting_since": None,
                "answer_due": paused_answer_due(deviation, now),
                "answer_paused_days": F("answer_paused_days") + paused_working_days(deviation, now),
            }
        case Action.ANSWER:
            cause, measures = details["cause"], details["measures"]
            if not cause.strip() or not measures.strip():
                raise TransitionRefused(_("An answer needs both the cause and the measures agreed."))
            return {
                "answer_cause": cause,
                "answer_measures": measures,
                "measures_done": details["measures_done"],
                "answered_at": now,
                "answered_by": by,
            }
        case Action.REOPEN:
            calendar = calendar_for(deviation.partnership_id)
            answer_due = calendar.add_working_days(timezone.localdate(now), policy_days(deviation)[1])
            # A new answer clock from today, with no pause counted.
            return {"closed_at": None, "answer_due": answer_due, "waiting_since": None, "answer_paused_days": 0}
        case Action.MERGE:
            return _merge_fields(deviation, details["into"], now)
    raise ValueError(action)
