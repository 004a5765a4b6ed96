"""Writes of measures: adding one to a case and following it up. Each checks who may act first."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.access.people import handlers_of
from avvik.cases.models.deviation import Deviation
from avvik.measures.choices import TRANSITIONS, Effect, MeasureStatus
from avvik.measures.models import Measure
from avvik.measures.permissions import may_add, may_follow_up
from avvik.tenancy.models import Organisation, User


def _check_owner(deviation: Deviation, organisation: Organisation, person: User | None) -> None:
    if organisation.pk not in deviation.parties:
        raise ValidationError({"responsible_organisation": _("Choose one of the organisations in the case.")})
    if person is not None and not handlers_of(organisation.pk).filter(pk=person.pk).exists():
        raise ValidationError(
            {"responsible_person": _("The responsible person must handle deviations for the responsible organisation.")}
        )


@transaction.atomic
def measure_add(
    *,
    deviation: Deviation,
    by: User,
    what: str,
    responsible_organisation: Organisation,
    due_date: date,
    responsible_person: User | None = None,
) -> Measure:
    """Agree a measure on the case, owned by one of its parties."""
    if not may_add(by, deviation):
        raise PermissionDenied(_("You may not add measures to this deviation."))
    _check_owner(deviation, responsible_organisation, responsible_person)
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    return Measure.objects.create(
        deviation=deviation,
        what=what.strip(),
        responsible_organisation=responsible_organisation,
        responsible_person=responsible_person,
        due_date=due_date,
        created_by=by,
    )


@dataclass(frozen=True)
class FollowUp:
    """What a person sets on a measure: its status (with a reason when dropped) and its effect."""

    status: str
    dropped_reason: str = ""
    effect: str = Effect.NOT_EVALUATED
    effect_note: str = ""


@transaction.atomic
def measure_follow_up(*, measure: Measure, by: User, change: FollowUp) -> Measure:
    """Move the measure to a new status and record the evaluation of its effect.

    Refuses people who may not follow it up, a move the transition table does not allow, a drop
    without a reason and an evaluation of a measure that is not carried out.
    """
    if not may_follow_up(by, measure):
        raise PermissionDenied(_("You may not follow up this measure."))
    measure = Measure.objects.select_for_update().select_related("deviation").get(pk=measure.pk)
    now = timezone.now()
    fields: set[str] = set()
    if change.status != measure.status:
        if change.status not in TRANSITIONS.get(measure.status, frozenset()):
            raise ValidationError(
                {
                    "status": _("A measure that is “{old}” cannot be set to “{new}”.").format(
                        old=MeasureStatus(measure.status).label, new=MeasureStatus(change.status).label
                    )
                }
            )
        measure.status = change.status
        fields.add("status")
        if change.status == MeasureStatus.CARRIED_OUT:
            measure.carried_out_at = now
        elif measure.carried_out_at is not None:
            measure.carried_out_at = None
        if change.status == MeasureStatus.DROPPED:
            measure.dropped_at = now
        else:
            measure.dropped_at, measure.dropped_reason = None, ""
        fields |= {"carried_out_at", "dropped_at", "dropped_reason"}
    if measure.status == MeasureStatus.DROPPED:
        reason = change.dropped_reason.strip()
        if not reason:
            raise ValidationError({"dropped_reason": _("Say why the measure is dropped.")})
        if reason != measure.dropped_reason:
            measure.dropped_reason = reason
            fields.add("dropped_reason")
    evaluated = change.effect != Effect.NOT_EVALUATED
    if evaluated and measure.status != MeasureStatus.CARRIED_OUT:
        raise ValidationError({"effect": _("Only a measure that is carried out can be evaluated.")})
    note = change.effect_note.strip() if evaluated else ""
    if measure.status != MeasureStatus.CARRIED_OUT and measure.effect != Effect.NOT_EVALUATED:
        # Taken up again: its earlier evaluation no longer holds.
        measure.effect, measure.effect_note, measure.evaluated_at, measure.evaluated_by = (
            Effect.NOT_EVALUATED,
            "",
            None,
            None,
        )
        fields |= {"effect", "effect_note", "evaluated_at", "evaluated_by"}
    elif (change.effect, note) != (measure.effect, measure.effect_note):
        measure.effect, measure.effect_note = change.effect, note
        measure.evaluated_at, measure.evaluated_by = (now, by) if evaluated else (None, None)
        fields |= {"effect", "effect_note", "evaluated_at", "evaluated_by"}
    if fields:
        measure.save(update_fields=sorted(fields))
    return measure
