"""Filing a case and correcting its details."""

import copy
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from avvik.access.people import coordinators_of
from avvik.access.roles import roles_of
from avvik.cases.choices import AppRec, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import PatientReference, Transition
from avvik.cases.permissions import may_edit
from avvik.cases.services.held import held_uploads_attach
from avvik.cases.services.thread import account_number_confirmations_record, attachment_add
from avvik.catalogue.choices import consequence_rank
from avvik.core import crypto
from avvik.core.form_fields import CONFIRMED_ACCOUNT_NUMBERS
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
    "potential_consequence",
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
    "apprec_error_code",
    "channel",
    "message_id",
)


# What may be corrected later: all but who reported and whom it is about.
EDITABLE_FIELDS = tuple(field for field in FILED_FIELDS if field not in ("reporting_unit", "counterpart"))


# Letters and digits that cannot be mistaken for each other when read aloud on the phone or typed
# from a printout (no 0/O, 1/I/L, 5/S, 8/B, 2/Z, U/V).
REFERENCE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
REFERENCE_LENGTH = 6


def new_reference(year: int) -> str:
    """SA-<year>-<six random characters>: unique across the installation, and, unlike a counter,
    telling nobody how many cases anyone filed in between (about 148 million a year to pick from)."""
    while True:
        reference = f"SA-{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if not Deviation.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def deviation_submit(
    *,
    by: User,
    organisation: Organisation,
    data: dict[str, Any],
    patient: PatientData | None = None,
    files: list["File[bytes]"] | None = None,
    held: Iterable[UUID] = (),
) -> Deviation:
    """File a new deviation for the reporter's organisation.

    `data` is the filing form's cleaned data: the filed fields, and under "confirmed_account_numbers"
    the free-text fields whose numbers the reporter confirmed to be bank account numbers (recorded,
    without the digits). `files` are attached, and so are the reporter's files held (by key) from
    an earlier try of the form."""
    if organisation.pk not in roles_of(by).reporter_in:
        raise PermissionDenied(_("You do not report for this organisation."))
    now = timezone.now()
    deviation = Deviation(
        reference=new_reference(timezone.localdate(now).year),
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
    check_grading_and_receipt(deviation)
    deviation.full_clean(exclude=["reference"])
    deviation.triage_due = due_dates(deviation)["triage_due"]
    try:
        with transaction.atomic():
            deviation.save()
    except IntegrityError:
        # Two filings drew the same reference at the same moment: draw again (the unique index decides).
        if not Deviation.objects.filter(reference=deviation.reference).exists():
            raise
        deviation.reference = new_reference(timezone.localdate(now).year)
        deviation.save()
    Transition.objects.create(deviation=deviation, action="submit", from_status="", to_status=Status.SUBMITTED, by=by)
    notify(
        kind=NotificationKind.NEW_CASE,
        recipients=coordinators_of(deviation.partnership_id),
        deviation=deviation,
    )
    account_number_confirmations_record(deviation=deviation, by=by, confirmed=_confirmed(data))
    if patient:
        _patient_store(deviation=deviation, patient=patient)
    held_uploads_attach(deviation=deviation, by=by, keys=held)
    for upload in files or []:
        attachment_add(deviation=deviation, by=by, upload=upload)
    return deviation


def _confirmed(data: dict[str, Any]) -> dict[str, int]:
    """The form's confirmations that numbers in free-text fields are bank account numbers."""
    confirmed = data.get(CONFIRMED_ACCOUNT_NUMBERS) or {}
    return {name: count for name, count in confirmed.items() if name in FILED_FIELDS}


def check_grading_and_receipt(deviation: Deviation) -> None:
    """The potential consequence is at least the actual one, and an AppRec error code belongs to a
    negative receipt only: refused here whatever form or API the values came through."""
    errors = {}
    potential = deviation.potential_consequence
    if potential and deviation.consequence and consequence_rank(potential) < consequence_rank(deviation.consequence):
        errors["potential_consequence"] = _(
            "What could have happened cannot be less serious than what happened. Choose the actual "
            "consequence or a more serious one."
        )
    if deviation.apprec_error_code and deviation.apprec != AppRec.NEGATIVE:
        errors["apprec_error_code"] = _(
            "An error code comes with a negative application receipt only. Choose “Received, negative” "
            "as the receipt, or empty the error code."
        )
    if errors:
        raise ValidationError(errors)


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
            "identity_index": crypto.blind_index(crypto.digits_only(patient.identity_number)),
            "erased_at": None,
        },
    )


@transaction.atomic
def deviation_update(
    *,
    deviation: Deviation,
    by: User,
    version: int,
    changes: dict[str, Any],
    files: list["File[bytes]"] | None = None,
    held: Iterable[UUID] = (),
) -> Deviation:
    """Correct a case's details. Refused when someone else saved since `version` was read. Like
    deviation_submit's `data`, `changes` may carry the form's confirmed account numbers; `files`
    and the person's `held` files are attached as with deviation_submit."""
    if not may_edit(by, deviation):
        raise PermissionDenied(_("You may not change this deviation."))
    values = {field: changes[field] for field in EDITABLE_FIELDS if field in changes}
    candidate = copy.copy(deviation)
    for name, value in values.items():
        setattr(candidate, name, value)
    _check_same_partnership(candidate)
    check_grading_and_receipt(candidate)
    values["updated_at"] = timezone.now()
    updated = Deviation.objects.filter(pk=deviation.pk, version=version).update(version=F("version") + 1, **values)
    if not updated:
        raise StaleVersion
    account_number_confirmations_record(deviation=deviation, by=by, confirmed=_confirmed(changes))
    held_uploads_attach(deviation=deviation, by=by, keys=held)
    for upload in files or []:
        attachment_add(deviation=deviation, by=by, upload=upload)
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
