"""Who may record the statutory alert and mark or decide a personal-data breach: the contact
point and the handlers of the parties (DESIGN: severity and statutory alert)."""

from avvik.access.people import handles_for
from avvik.cases.models import Deviation
from avvik.cases.permissions import is_coordinator_of, is_responsible_handler
from avvik.tenancy.models import User


def is_duty_keeper(user: User, deviation: Deviation) -> bool:
    """A coordinator of the partnership, or a handler of the reporting or responsible organisation."""
    return (
        is_coordinator_of(user, deviation)
        or handles_for(user, deviation.reporting_organisation_id)
        or is_responsible_handler(user, deviation)
    )


def may_mark_breach(user: User, deviation: Deviation) -> bool:
    # An ended case is read-only; reopening it is how it goes on.
    return not deviation.is_ended and deviation.anonymised_at is None and is_duty_keeper(user, deviation)
