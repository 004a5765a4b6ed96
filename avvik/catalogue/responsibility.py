"""Whose duty a deviation is, as the guideline divides it: the responsible organisation suggested at
intake and routing from the clause's responsible party and the kinds of the two organisations."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from avvik.catalogue.choices import ResponsibleKind
from avvik.catalogue.models import AgreementClause
from avvik.tenancy.models import Organisation


@dataclass(frozen=True)
class Suggestion:
    organisation: Organisation
    clause: AgreementClause
    reason: str


def responsible_suggested(*, clause: AgreementClause | None, parties: Iterable[Organisation]) -> Suggestion | None:
    """The one party whose kind the clause binds, and why; none when the clause binds both parties or
    the parties do not tell (two municipalities, or a party of another kind)."""
    if clause is None or clause.responsible_kind == ResponsibleKind.EITHER:
        return None
    bound = [organisation for organisation in parties if organisation.kind == clause.responsible_kind]
    if len(bound) != 1:
        return None
    # The section ("6.3") is what people cite; the letter is in the clause shown beside it.
    point = clause.code.split(" ")[0]
    if clause.responsible_kind == ResponsibleKind.HOSPITAL_TRUST:
        reason = _("Suggested from point {point}: the hospital trust's duty").format(point=point)
    else:
        reason = _("Suggested from point {point}: the municipality's duty").format(point=point)
    return Suggestion(organisation=bound[0], clause=clause, reason=reason)
