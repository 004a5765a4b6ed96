"""Moving a case along its lifecycle."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.access.people import handlers_of, handles_for
from avvik.cases.choices import Action
from avvik.cases.lifecycle import TRANSITIONS
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Transition
from avvik.cases.permissions import may_act
from avvik.cases.services.filing import StaleVersion, _refresh_due_dates
from avvik.deadlines.due_dates import calendar_for, paused_answer_due, policy_days
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import notify
from avvik.tenancy.models import Organisation, User


class TransitionRefused(PermissionDenied):
    """The action is not allowed from the case's status, or not for this person."""


def _transition(
    *, deviation: Deviation, by: User, action: str, note: str = "", version: int | None = None, **fields
) -> Deviation:
    """Move the case along the one transition table; compare-and-swap on status (and version)."""
    rule = TRANSITIONS[action]
    if not may_act(by, deviation, action):
        raise TransitionRefused(
            _("“{action}” is not possible for this deviation now.").format(action=Action(action).label)
        )
    if rule.note_required and not note.strip():
        raise TransitionRefused(_("A note is required."))
    now = timezone.now()
    matching = Deviation.objects.filter(pk=deviation.pk, status=deviation.status)
    if version is not None:
        matching = matching.filter(version=version)
    updated = matching.update(status=rule.target, version=F("version") + 1, updated_at=now, **fields)
    if not updated:
        raise StaleVersion
    Transition.objects.create(
        deviation=deviation,
        action=action,
        from_status=deviation.status,
        to_status=rule.target,
        by=by,
        at=now,
        note=note,
    )
    deviation.refresh_from_db()
    return deviation


@transaction.atomic
def deviation_forward(
    *,
    deviation: Deviation,
    by: User,
    to: Organisation,
    category=None,
    note: str = "",
    version: int | None = None,
) -> Deviation:
    if to.partnership_id != deviation.partnership_id:
        raise TransitionRefused(_("The organisation is not part of this partnership."))
    if category is not None and category.partnership_id != deviation.partnership_id:
        raise TransitionRefused(_("The category belongs to another partnership."))
    fields = {"responsible_organisation": to, "forwarded_at": timezone.now(), "assignee": None}
    if category is not None:
        fields["category"] = category
    deviation = _transition(deviation=deviation, by=by, action=Action.FORWARD, note=note, version=version, **fields)
    _refresh_due_dates(deviation)
    notify(
        kind=NotificationKind.FORWARDED,
        recipients=handlers_of(to.pk),
        deviation=deviation,
        threshold=str(deviation.transitions.latest("at", "pk").pk),
    )
    _tell_reporter(deviation, NotificationKind.REPORTER_FORWARDED)
    return deviation


@transaction.atomic
def deviation_reject(*, deviation: Deviation, by: User, note: str, version: int | None = None) -> Deviation:
    deviation = _transition(
        deviation=deviation, by=by, action=Action.REJECT, note=note, version=version, closed_at=timezone.now()
    )
    _tell_reporter(deviation, NotificationKind.REJECTED)
    return deviation


@transaction.atomic
def deviation_withdraw(*, deviation: Deviation, by: User, note: str = "", version: int | None = None) -> Deviation:
    return _transition(
        deviation=deviation, by=by, action=Action.WITHDRAW, note=note, version=version, closed_at=timezone.now()
    )


@transaction.atomic
def deviation_accept(
    *, deviation: Deviation, by: User, assignee: User | None = None, note: str = "", version: int | None = None
) -> Deviation:
    if assignee is not None and not handles_for(assignee, deviation.responsible_organisation_id):
        raise TransitionRefused(_("The case handler must handle deviations for the responsible organisation."))
    return _transition(
        deviation=deviation, by=by, action=Action.ACCEPT, note=note, version=version, assignee=assignee or by
    )


@transaction.atomic
def deviation_wait(*, deviation: Deviation, by: User, note: str, version: int | None = None) -> Deviation:
    deviation = _transition(
        deviation=deviation, by=by, action=Action.WAIT, note=note, version=version, waiting_since=timezone.now()
    )
    _tell_reporter(deviation, NotificationKind.QUESTION)
    return deviation


@transaction.atomic
def deviation_resume(*, deviation: Deviation, by: User, note: str = "", version: int | None = None) -> Deviation:
    # The clock stood still while waiting for the reporter: the due date moves on as many working days.
    answer_due = paused_answer_due(deviation, timezone.now())
    return _transition(
        deviation=deviation,
        by=by,
        action=Action.RESUME,
        note=note,
        version=version,
        waiting_since=None,
        answer_due=answer_due,
    )


@transaction.atomic
def deviation_answer(
    *,
    deviation: Deviation,
    by: User,
    cause: str,
    measures: str,
    measures_done: bool,
    note: str = "",
    version: int | None = None,
) -> Deviation:
    if not cause.strip() or not measures.strip():
        raise TransitionRefused(_("An answer needs both the cause and the measures agreed."))
    deviation = _transition(
        deviation=deviation,
        by=by,
        action=Action.ANSWER,
        note=note,
        version=version,
        answer_cause=cause,
        answer_measures=measures,
        measures_done=measures_done,
        answered_at=timezone.now(),
        answered_by=by,
    )
    _tell_reporter(deviation, NotificationKind.ANSWERED)
    return deviation


@transaction.atomic
def deviation_close(*, deviation: Deviation, by: User, note: str, version: int | None = None) -> Deviation:
    """Close with a closing note; a case without an answer needs that note as the stated reason."""
    deviation = _transition(
        deviation=deviation, by=by, action=Action.CLOSE, note=note, version=version, closed_at=timezone.now()
    )
    _tell_reporter(deviation, NotificationKind.CLOSED)
    return deviation


@transaction.atomic
def deviation_reopen(*, deviation: Deviation, by: User, note: str, version: int | None = None) -> Deviation:
    calendar = calendar_for(deviation.partnership_id)
    answer_due = calendar.add_working_days(timezone.localdate(), policy_days(deviation)[1])
    return _transition(
        deviation=deviation,
        by=by,
        action=Action.REOPEN,
        note=note,
        version=version,
        closed_at=None,
        answer_due=answer_due,
    )


def _tell_reporter(deviation: Deviation, kind: str) -> None:
    if deviation.reporter and deviation.reporter.is_active:
        notify(
            kind=kind,
            recipients=[deviation.reporter],
            deviation=deviation,
            threshold=str(deviation.transitions.latest("at", "pk").pk),
        )
