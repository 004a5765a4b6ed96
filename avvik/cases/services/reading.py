"""Reads that are written down: the access log and the patient reference."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from avvik.cases import permissions
from avvik.cases.choices import AccessKind
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccessLog
from avvik.cases.models.records import PatientReference
from avvik.cases.services.filing import PatientData
from avvik.core import crypto
from avvik.tenancy.models import User


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
