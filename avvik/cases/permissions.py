"""Who may do what with a case. Services enforce these; templates only read them."""

from typing import TYPE_CHECKING

from avvik.access.people import handles_for
from avvik.access.roles import roles_of
from avvik.cases.choices import ENDED_STATUSES, OPEN_STATUSES, Action, Actor, Status
from avvik.cases.lifecycle import LIFECYCLE

if TYPE_CHECKING:
    from avvik.cases.models.deviation import Deviation
    from avvik.tenancy.models import User


def is_coordinator_of(user: "User", deviation: "Deviation") -> bool:
    return deviation.partnership_id in roles_of(user).coordinator_of


def is_responsible_handler(user: "User", deviation: "Deviation") -> bool:
    return handles_for(user, deviation.responsible_organisation_id)


def party_organisations_of(user: "User", deviation: "Deviation") -> set[int]:
    """The person's organisations that are a party to the case."""
    roles = roles_of(user)
    return deviation.parties & set(roles.organisations)


def may_act(user: "User", deviation: "Deviation", action: str) -> bool:
    rule = LIFECYCLE[action]
    if deviation.status not in rule.sources:
        return False
    if rule.actor == Actor.COORDINATOR:
        return is_coordinator_of(user, deviation)
    if rule.actor == Actor.RESPONSIBLE_HANDLER:
        return is_responsible_handler(user, deviation)
    if rule.actor == Actor.REPORTER:
        return deviation.reporter_id == user.pk
    return False


def allowed_actions(user: "User", deviation: "Deviation") -> list[str]:
    return [action for action in Action.values if may_act(user, deviation, action)]


def may_see_patient(user: "User", deviation: "Deviation") -> bool:
    """Handlers of the two organisations and the coordinators; nobody else."""
    if is_coordinator_of(user, deviation):
        return True
    other_side = deviation.responsible_organisation_id or deviation.counterpart_id
    return handles_for(user, deviation.reporting_organisation_id) or handles_for(user, other_side)


def may_see_access_log(user: "User", deviation: "Deviation") -> bool:
    return is_coordinator_of(user, deviation)


def may_edit(user: "User", deviation: "Deviation") -> bool:
    """Coordinators may correct a case until it ends; the reporter until it is triaged."""

    if deviation.status not in OPEN_STATUSES:
        return False
    if is_coordinator_of(user, deviation):
        return True
    return deviation.status == Status.SUBMITTED and deviation.reporter_id == user.pk


def may_comment(user: "User", deviation: "Deviation") -> bool:
    # An ended case is read-only: reopening it is how the conversation goes on.
    if deviation.status in ENDED_STATUSES or deviation.anonymised_at is not None:
        return False
    return is_coordinator_of(user, deviation) or bool(party_organisations_of(user, deviation))


def may_upload(user: "User", deviation: "Deviation") -> bool:
    return may_comment(user, deviation)
