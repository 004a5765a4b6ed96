"""Who is told about a case's events."""

from avvik.access.people import coordinators_of, handlers_of
from avvik.cases import permissions
from avvik.cases.models.deviation import Deviation
from avvik.tenancy.models import User


def case_handlers(deviation: Deviation) -> list[User]:
    """Who handles the case now: its case handler, or, when none is assigned (or they left), the
    responsible organisation's handlers."""
    if deviation.assignee is not None and deviation.assignee.is_active:
        return [deviation.assignee]
    return list(handlers_of(deviation.responsible_organisation_id))


def contact_point(deviation: Deviation) -> list[User]:
    """The coordinators of the case's partnership."""
    return list(coordinators_of(deviation.partnership_id))


def other_side_of_comment(deviation: Deviation, author: User) -> list[User]:
    """A comment goes to the other side: reporter ↔ responsible handlers; from the contact point, both."""
    reporter_side = {deviation.reporting_organisation_id}
    responsible_side = {deviation.responsible_organisation_id} - {None}
    own = permissions.party_organisations_of(author, deviation)
    to_reporter = [deviation.reporter] if deviation.reporter and deviation.reporter.is_active else []
    to_handlers = case_handlers(deviation)
    if permissions.is_coordinator_of(author, deviation) or not own:
        recipients = to_reporter + to_handlers
    elif own & responsible_side and not own & reporter_side:
        recipients = to_reporter
    else:
        recipients = to_handlers
    return [user for user in recipients if user.pk != author.pk]
