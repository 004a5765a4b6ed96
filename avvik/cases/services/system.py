"""Deviations that a system opens: failures of message traffic found by monitoring (avvik.traffic).

They take the same road as a filed case: submitted to the contact point, which forwards them; the
reporter is the sending organisation's message traffic owner, who follows up its receipts."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from avvik.access.people import coordinators_of
from avvik.cases.choices import Status
from avvik.cases.models import Deviation, Transition
from avvik.cases.services.filing import new_reference
from avvik.deadlines.due_dates import due_dates
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import notify
from avvik.tenancy.models import Organisation, User


@transaction.atomic
def system_deviation_submit(
    *,
    organisation: Organisation,
    counterpart: Organisation,
    reporter: User | None,
    occurred_at: datetime,
    fields: dict[str, Any],
) -> Deviation:
    """Open a case for `organisation` about `counterpart`, as monitoring found it; the contact point is told."""
    now = timezone.now()
    deviation = Deviation(
        reference=new_reference(timezone.localdate(now).year),
        partnership_id=organisation.partnership_id,
        reporter=reporter,
        reporting_organisation=organisation,
        counterpart=counterpart,
        occurred_at=occurred_at,
        status=Status.SUBMITTED,
        created_at=now,
        updated_at=now,
        **fields,
    )
    # Without a message traffic owner the case has no reporter; the contact point has it all the same.
    deviation.full_clean(exclude=["reference"] if reporter else ["reference", "reporter"])
    deviation.triage_due = due_dates(deviation)["triage_due"]
    try:
        with transaction.atomic():
            deviation.save()
    except IntegrityError:
        if not Deviation.objects.filter(reference=deviation.reference).exists():
            raise
        deviation.reference = new_reference(timezone.localdate(now).year)
        deviation.save()
    Transition.objects.create(
        deviation=deviation, action="submit", from_status="", to_status=Status.SUBMITTED, by=reporter
    )
    notify(kind=NotificationKind.NEW_CASE, recipients=coordinators_of(deviation.partnership_id), deviation=deviation)
    return deviation
