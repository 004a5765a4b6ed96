"""Reads for the council's side."""

from avvik.access.roles import roles_of
from avvik.cases.models.deviation import Deviation
from avvik.council.periods import Period
from avvik.council.presentation import CaseSummary
from avvik.tenancy.models import Partnership, User


def may_read_statistics(user: User, partnership_id: int) -> bool:
    roles = roles_of(user)
    return partnership_id in roles.coordinator_of or partnership_id in roles.council_of


def council_summaries(partnership: Partnership, period: Period) -> list:
    """The anonymised texts a coordinator approved, for the cases of the period, oldest first."""

    cases = (
        Deviation.objects.filter(period.within("created_at"), partnership=partnership)
        .exclude(council_summary="")
        .select_related("category")
        .order_by("created_at")
    )
    return [
        CaseSummary(category=d.category.display_name, consequence=d.get_consequence_display(), text=d.council_summary)
        for d in cases
    ]
