"""Filing a case and correcting its details."""

import copy
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from avvik.access.people import coordinators_of
from avvik.access.roles import roles_of
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation, ReferenceCounter
from avvik.cases.models.records import PatientReference, Transition
from avvik.cases.permissions import may_edit
from avvik.cases.services.thread import attachment_add
from avvik.core import crypto
from avvik.deadlines.due_dates import due_dates
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import notify
from avvik.tenancy.models import Organisation, User

if TYPE_CHECKING:
    from django.core.files.base import File


class StaleVersion(Exception):
    """Someone else changed the case after the person opened it; nothing was saved."""

    message = gettext_lazy(
        "Someone else changed this deviation while you had it open. Nothing was saved. "
        "Your text is kept below: look at the case again and try once more."
    )


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
    data: dict[str, Any],
    patient: PatientData | None = None,
    files: list["File[bytes]"] | None = None,
) -> Deviation:
    """File a new deviation for the reporter's organisation."""
    if organisation.pk not in roles_of(by).reporter_in:
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
    deviation.triage_due = due_dates(deviation)["triage_due"]
    deviation.save()
    Transition.objects.create(deviation=deviation, action="submit", from_status="", to_status=Status.SUBMITTED, by=by)
    notify(
        kind=NotificationKind.NEW_CASE,
        recipients=coordinators_of(deviation.partnership_id),
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
def deviation_update(*, deviation: Deviation, by: User, version: int, changes: dict[str, Any]) -> Deviation:
    """Correct a case's details. Refused when someone else saved since `version` was read."""
    if not may_edit(by, deviation):
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
    values = due_dates(deviation)
    Deviation.objects.filter(pk=deviation.pk).update(**values)
    for name, value in values.items():
        setattr(deviation, name, value)
