"""A patient's right to know who has seen their information (pasientjournalloven § 16): the contact
point finds a patient's cases by the blind index of the identity number, never by the number in
clear, and hands out who opened them and when. Every search and export is itself logged."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.cases.choices import AccessKind
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccessLog
from avvik.cases.services.reading import access_log_write
from avvik.core import crypto
from avvik.tenancy.models import User


def patient_cases(*, by: User, identity_number: str) -> list[Deviation]:
    """The cases of the contact point's partnerships about this patient, newest first; each find is
    written in the case's access log, so the patient's own export shows who looked them up."""
    partnerships = roles_of(by).coordinator_of
    if not partnerships:
        raise PermissionDenied(_("Only the joint contact point may look up a patient's cases."))
    indexes = crypto.blind_indexes(crypto.digits_only(identity_number))
    cases = list(
        Deviation.objects.filter(
            partnership__in=partnerships,
            patient__identity_index__in=indexes,
            patient__erased_at__isnull=True,
        )
        .select_related("reporting_organisation", "responsible_organisation", "counterpart")
        .order_by("-created_at", "-pk")
    )
    for case in cases:
        access_log_write(user=by, kind=AccessKind.PATIENT_SEARCH, deviation=case)
    return cases


def patient_access_log(*, by: User, cases: list[Deviation]) -> QuerySet[AccessLog]:
    """Every read of these cases, oldest first, for the patient; the export is logged on each case."""
    partnerships = roles_of(by).coordinator_of
    if any(case.partnership_id not in partnerships for case in cases):
        raise PermissionDenied(_("Only the joint contact point may look up a patient's cases."))
    entries = (
        AccessLog.objects.filter(deviation__in=cases)
        .select_related("user", "organisation", "deviation")
        .order_by("at", "pk")
    )
    for case in cases:
        access_log_write(user=by, kind=AccessKind.EXPORT, deviation=case, detail=_("Who has opened the case"))
    return entries
