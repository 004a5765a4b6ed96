"""One lifecycle action on several cases at once: each case goes through the same permission check
and the same transition (cases.services.transitions.deviation_transition) as one by one, in its own
transaction, and is done or refused on its own.

A reference outside `Deviation.objects.visible_to(by)` is "not found", exactly like a reference
nobody has: the result tells nothing about a case the person may not read.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from avvik.access.people import handles_for
from avvik.cases.choices import Action
from avvik.cases.closing import closing_blocked_by
from avvik.cases.lifecycle import LIFECYCLE
from avvik.cases.models import Deviation
from avvik.cases.permissions import may_act
from avvik.cases.services.filing import StaleVersion
from avvik.cases.services.thread import account_number_confirmations_record
from avvik.cases.services.transitions import ClosingBlocked, TransitionRefused, deviation_transition
from avvik.tenancy.models import User

# The actions offered on the lists: forward (contact point), assign (accept with a case handler,
# by the responsible organisation's handlers), close with one reason (contact point).
BULK_ACTIONS = (Action.FORWARD, Action.ACCEPT, Action.CLOSE)

# The most cases one bulk action takes: a few pages of a list.
BULK_LIMIT = 100


class Refusal(models.TextChoices):
    """Why one case of a bulk action was not changed."""

    NOT_FOUND = "not_found", _("not found")
    STATUS = "status", _("wrong status")
    PERMISSION = "permission", _("not allowed for you")
    HANDLER = "handler", _("the case handler is not in the responsible organisation")
    CHANGED = "changed", _("changed by someone else meanwhile")
    DUTY = "duty", _("a statutory alert or a personal-data breach decision is not recorded")
    REFUSED = "refused", _("refused")


@dataclass(frozen=True)
class BulkItem:
    """One chosen case: the case if the person may read it, and why it will be or was refused."""

    reference: str
    deviation: Deviation | None
    refusal: Refusal | None = None


@dataclass
class BulkOutcome:
    """What a bulk action did: the references changed, and the ones refused with the reason."""

    action: str
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, Refusal]] = field(default_factory=list)


def _refusal(by: User, deviation: Deviation, action: str, details: Mapping[str, Any]) -> Refusal | None:
    """Why the person may not take `action` on this case now, by the lifecycle table; None if they may."""
    if deviation.status not in LIFECYCLE[action].sources:
        return Refusal.STATUS
    if not may_act(by, deviation, action):
        return Refusal.PERMISSION
    if action == Action.CLOSE and closing_blocked_by(deviation):
        return Refusal.DUTY
    assignee = details.get("assignee")
    if (
        action == Action.ACCEPT
        and assignee is not None
        and not handles_for(assignee, deviation.responsible_organisation_id)
    ):
        return Refusal.HANDLER
    return None


def bulk_preview(*, by: User, action: str, references: Iterable[str], **details: Any) -> list[BulkItem]:
    """The chosen cases in the order chosen, each with the reason it would be refused, if any.
    Read through the one door: a case the person may not read is "not found"."""
    if action not in BULK_ACTIONS:
        raise ValueError(action)
    wanted = list(dict.fromkeys(references))[:BULK_LIMIT]
    found = {
        deviation.reference: deviation
        for deviation in Deviation.objects.visible_to(by)
        .filter(reference__in=wanted)
        .select_related("responsible_organisation", "counterpart", "reporting_organisation")
    }
    items = []
    for reference in wanted:
        deviation = found.get(reference)
        if deviation is None:
            items.append(BulkItem(reference, None, Refusal.NOT_FOUND))
        else:
            items.append(BulkItem(reference, deviation, _refusal(by, deviation, action, details)))
    return items


def deviations_bulk_transition(
    *,
    by: User,
    action: str,
    references: Iterable[str],
    note: str = "",
    versions: Mapping[str, int] | None = None,
    confirmed_account_numbers: Mapping[str, int] | None = None,
    **details: Any,
) -> BulkOutcome:
    """Take `action` with the same note and details on each chosen case, one transaction per case,
    through deviation_transition; a case that may not take it is refused and the others go on.

    `details` are the action's own (LIFECYCLE[action].details): `to` to forward, `assignee` to assign.
    `versions` (reference: version) are the versions the person saw on the confirmation page: a case
    changed since is refused as changed. `confirmed_account_numbers` (field: count) is recorded on
    each case changed, as one by one.
    """
    versions = versions or {}
    outcome = BulkOutcome(action=action)
    for item in bulk_preview(by=by, action=action, references=references, **details):
        if item.refusal is not None or item.deviation is None:
            outcome.refused.append((item.reference, item.refusal or Refusal.NOT_FOUND))
            continue
        try:
            with transaction.atomic():
                deviation_transition(
                    deviation=item.deviation,
                    by=by,
                    action=action,
                    note=note,
                    version=versions.get(item.reference),
                    **details,
                )
                account_number_confirmations_record(
                    deviation=item.deviation, by=by, confirmed=confirmed_account_numbers or {}
                )
        except StaleVersion:
            outcome.refused.append((item.reference, Refusal.CHANGED))
        except ClosingBlocked:
            outcome.refused.append((item.reference, Refusal.DUTY))
        except TransitionRefused:
            outcome.refused.append((item.reference, Refusal.REFUSED))
        else:
            outcome.done.append(item.reference)
    return outcome
