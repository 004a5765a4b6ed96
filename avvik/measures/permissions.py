"""Who may add and follow up measures. Services enforce these; templates only read them."""

from typing import TYPE_CHECKING

from avvik.access.people import handles_for
from avvik.access.roles import roles_of
from avvik.cases.choices import Status

if TYPE_CHECKING:
    from avvik.cases.models.deviation import Deviation
    from avvik.measures.models import Measure
    from avvik.tenancy.models import User

# Measures are agreed while the responsible organisation works on the answer and after it has
# answered; a closed case is reopened to agree new ones.
ADDING_STATUSES = (Status.IN_PROGRESS, Status.WAITING, Status.ANSWERED)


def _coordinates(user: "User", deviation: "Deviation") -> bool:
    return deviation.partnership_id in roles_of(user).coordinator_of


def may_add(user: "User", deviation: "Deviation") -> bool:
    """The responsible organisation's handlers and managers, and the coordinators."""
    if deviation.status not in ADDING_STATUSES:
        return False
    return _coordinates(user, deviation) or handles_for(user, deviation.responsible_organisation_id)


def may_follow_up(user: "User", measure: "Measure") -> bool:
    """Coordinators, and those who handle for the organisation that owns the measure, also after the
    case has closed (that is when most measures are carried out)."""
    deviation = measure.deviation
    if deviation.status in (Status.REJECTED, Status.WITHDRAWN):
        return False
    return _coordinates(user, deviation) or handles_for(user, measure.responsible_organisation_id)
