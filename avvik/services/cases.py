"""Writes. Every change to a case goes through a function here: keyword-only, one transaction,
current state checked first, illegal transitions refused."""

import copy
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik import crypto, deadlines, notifications, permissions
from avvik.choices import TRANSITIONS, AccessKind, Action, NotificationKind, Status
from avvik.models import (
    AccessLog,
    Attachment,
    Comment,
    Deviation,
    Organisation,
    PatientReference,
    ReferenceCounter,
    Transition,
    User,
)
from avvik.uploads import clean_file_name, validate_upload


class TransitionRefused(PermissionDenied):
    """The action is not allowed from the case's status, or not for this person."""


class StaleVersion(Exception):
    """Someone else changed the case after the person opened it; nothing was saved."""


@dataclass(frozen=True)
class PatientData:
    name: str = ""
    identity_number: str = ""

    def __bool__(self) -> bool:
        return bool(self.name or self.identity_number)


# Fields a reporter fills in; the rest (status, reference, partnership, organisations)
# are set here and can never come from a form.
FILED_FIELDS = (
    "reporting_unit",
    "occurred_at",
    "counterpart",
    "counterpart_unit",
    "category",
    "clause",
    "consequence",
    "unexpected",
    "title",
    "description",
    "immediate_action",
    "suggested_measure",
    "message_type",
    "sender_her_id",
    "receiver_her_id",
    "message_sent_at",
    "apprec",
    "message_id",
)
# What may be corrected later: all but who reported and whom it is about.
EDITABLE_FIELDS = tuple(field for field in FILED_FIELDS if field not in ("reporting_unit", "counterpart"))


def _next_reference(year: int) -> str:
    """SA-<year>-<5 digits>, unique across the installation, without gaps from races."""
    if not ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=1)
        except IntegrityError:  # another request created the year's row first
            ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = ReferenceCounter.objects.values_list("last", flat=True).get(year=year)
    return f"SA-{year}-{last:05d}"


@transaction.atomic
def deviation_submit(
    *,
    by: User,
    organisation: Organisation,
    data: dict,
    patient: PatientData | None = None,
    files: list | None = None,
) -> Deviation:
    """File a new deviation for the reporter's organisation."""
    if organisation.pk not in permissions.roles_of(by).reporter_in:
        raise PermissionDenied(_("You do not report for this organisation."))
    now = timezone.now()
    deviation = Deviation(
        # A placeholder until the end: the year's counter row is locked from the moment it is
        # bumped until commit, so it is bumped last and filings do not wait on each other's
        # attachments and notifications.
        reference=f"~{uuid.uuid4().hex[:19]}",
        partnership_id=organisation.partnership_id,
        reporter=by,
        reporting_organisation=organisation,
        status=Status.SUBMITTED,
        created_at=now,
        updated_at=now,
        **{field: data[field] for field in FILED_FIELDS if field in data},
    )
    if deviation.unexpected is not None and not deviation.is_serious:
        deviation.unexpected = None
    _check_same_partnership(deviation)
    deviation.full_clean(exclude=["reference"])
    deviation.triage_due = deadlines.due_dates(deviation)["triage_due"]
    deviation.save()
    Transition.objects.create(deviation=deviation, action="submit", from_status="", to_status=Status.SUBMITTED, by=by)
    notifications.notify(
        kind=NotificationKind.NEW_CASE,
        recipients=notifications.coordinators_of(deviation.partnership_id),
        deviation=deviation,
    )
    if patient:
        _patient_store(deviation=deviation, patient=patient)
    for upload in files or []:
        attachment_add(deviation=deviation, by=by, upload=upload)
    deviation.reference = _next_reference(timezone.localdate(now).year)
    Deviation.objects.filter(pk=deviation.pk).update(reference=deviation.reference)
    return deviation


def _check_same_partnership(deviation: Deviation) -> None:
    """Nothing a case points to may belong to another partnership, or another organisation's units."""
    errors = {}
    if deviation.counterpart.partnership_id != deviation.partnership_id:
        errors["counterpart"] = _("The organisation is not part of this partnership.")
    for name in ("category", "clause"):
        related = getattr(deviation, name)
        if related is not None and related.partnership_id != deviation.partnership_id:
            errors[name] = _("Choose from the list.")
    for unit_name, organisation_id in (
        ("reporting_unit", deviation.reporting_organisation_id),
        ("counterpart_unit", deviation.counterpart_id),
    ):
        unit = getattr(deviation, unit_name)
        if unit is not None and unit.organisation_id != organisation_id:
            errors[unit_name] = _("The unit belongs to another organisation.")
    if errors:
        raise ValidationError(errors)


def _patient_store(*, deviation: Deviation, patient: PatientData) -> None:
    PatientReference.objects.update_or_create(
        deviation=deviation,
        defaults={
            "name_encrypted": crypto.encrypt(patient.name.strip()),
            "identity_number_encrypted": crypto.encrypt(patient.identity_number.replace(" ", "")),
            "erased_at": None,
        },
    )


@transaction.atomic
def deviation_update(*, deviation: Deviation, by: User, version: int, changes: dict) -> Deviation:
    """Correct a case's details. Refused when someone else saved since `version` was read."""
    if not permissions.may_edit(by, deviation):
        raise PermissionDenied(_("You may not change this deviation."))
    values = {field: changes[field] for field in EDITABLE_FIELDS if field in changes}
    candidate = copy.copy(deviation)
    for name, value in values.items():
        setattr(candidate, name, value)
    _check_same_partnership(candidate)
    values["updated_at"] = timezone.now()
    updated = Deviation.objects.filter(pk=deviation.pk, version=version).update(version=F("version") + 1, **values)
    if not updated:
        raise StaleVersion
    deviation.refresh_from_db()
    if "category" in values or "consequence" in values:
        _refresh_due_dates(deviation)
    return deviation


def _refresh_due_dates(deviation: Deviation) -> None:
    """Recompute due dates from the policy for the case's category and consequence now."""
    values = deadlines.due_dates(deviation)
    Deviation.objects.filter(pk=deviation.pk).update(**values)
    for name, value in values.items():
        setattr(deviation, name, value)


def _transition(
    *, deviation: Deviation, by: User, action: str, note: str = "", version: int | None = None, **fields
) -> Deviation:
    """Move the case along the one transition table; compare-and-swap on status (and version)."""
    rule = TRANSITIONS[action]
    if not permissions.may_act(by, deviation, action):
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
    notifications.notify(
        kind=NotificationKind.FORWARDED,
        recipients=notifications.handlers_of(to.pk),
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
    if assignee is not None and not permissions.handles_for(assignee, deviation.responsible_organisation_id):
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
    answer_due = deadlines.paused_answer_due(deviation, timezone.now())
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
    calendar = deadlines.calendar_for(deviation.partnership_id)
    answer_due = calendar.add_working_days(timezone.localdate(), deadlines.policy_days(deviation)[1])
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
        notifications.notify(
            kind=kind,
            recipients=[deviation.reporter],
            deviation=deviation,
            threshold=str(deviation.transitions.latest("at", "pk").pk),
        )


@transaction.atomic
def comment_add(*, deviation: Deviation, by: User, body: str, internal: bool = False) -> Comment:
    """A comment on the shared thread, or an internal note for the writer's own side."""
    if not permissions.may_comment(by, deviation):
        raise PermissionDenied(_("You may not write on this deviation."))
    own = sorted(permissions.party_organisations_of(by, deviation))
    coordinator = permissions.is_coordinator_of(by, deviation)
    # A coordinator writes for the contact point; otherwise for their own party organisation.
    organisation_id = None if coordinator or not own else own[0]
    comment = Comment.objects.create(
        deviation=deviation, author=by, organisation_id=organisation_id, body=body, is_internal=internal
    )
    if not internal:
        notifications.notify(
            kind=NotificationKind.COMMENT,
            recipients=notifications.other_side_of_comment(deviation, by),
            deviation=deviation,
            threshold=f"c{comment.pk}",
        )
    return comment


@transaction.atomic
def attachment_add(*, deviation: Deviation, by: User, upload) -> Attachment:
    if not permissions.may_upload(by, deviation):
        raise PermissionDenied(_("You may not add attachments to this deviation."))
    content_type = validate_upload(upload)
    return Attachment.objects.create(
        deviation=deviation,
        file=upload,
        original_name=clean_file_name(upload.name or ""),
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )


@transaction.atomic
def alert_record(*, deviation: Deviation, by: User, sent_at: datetime) -> Deviation:
    """Record that the statutory alert to Helsetilsynet and Ukom was sent."""
    if not permissions.may_record_alert(by, deviation):
        raise PermissionDenied(_("You may not record the statutory alert for this deviation."))
    Deviation.objects.filter(pk=deviation.pk, alert_sent_at__isnull=True).update(
        alert_sent_at=sent_at, alert_sent_by=by, updated_at=timezone.now()
    )
    deviation.refresh_from_db()
    return deviation


def access_log_write(*, user: User, kind: str, deviation: Deviation | None = None, detail: str = "") -> AccessLog:
    """Note a read. The organisation is the reader's party organisation, when they have one."""
    organisation_id = None
    if deviation is not None:
        own = sorted(permissions.party_organisations_of(user, deviation))
        organisation_id = own[0] if own else None
    return AccessLog.objects.create(
        user=user, kind=kind, deviation=deviation, organisation_id=organisation_id, detail=detail[:300]
    )


def patient_reference_read(*, deviation: Deviation, by: User) -> PatientData | None:
    """Decrypt the patient reference for someone allowed to see it, and log that they did."""
    if not permissions.may_see_patient(by, deviation):
        raise PermissionDenied(_("You may not see the patient reference of this deviation."))
    reference = PatientReference.objects.filter(deviation=deviation, erased_at__isnull=True).first()
    access_log_write(user=by, kind=AccessKind.PATIENT, deviation=deviation)
    if reference is None:
        return None
    return PatientData(
        name=crypto.decrypt(reference.name_encrypted),
        identity_number=crypto.decrypt(reference.identity_number_encrypted),
    )
