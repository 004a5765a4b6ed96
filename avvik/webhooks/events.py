"""What the parties' systems are told: a case's status changed. The content names the case and the
change only; the system reads the rest through the API with its own token, under its own rights."""

import uuid
from typing import Any

from django.db import transaction
from django.urls import reverse

from avvik.cases.models import Deviation, Transition
from avvik.core import queue
from avvik.webhooks.models import Delivery, Endpoint

DELIVER_TASK = "avvik.webhooks.tasks.deliver_webhook"
STATUS_CHANGED = "case.status_changed"
# Event ids are derived from the change, so the same change always has the same id.
EVENT_NAMESPACE = uuid.UUID("6c3b0a4e-4f7e-4b8e-9a51-0f1e6a2d9c11")


def transition_saved(sender: type, instance: Transition, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not created or raw:
        return
    # Read from the database: the service writes the case's new columns before the transition row,
    # and the object it passes along may not have them yet.
    reference, reporting, responsible = Deviation.objects.filter(pk=instance.deviation_id).values_list(
        "reference", "reporting_organisation_id", "responsible_organisation_id"
    )[0]
    parties = {pk for pk in (reporting, responsible) if pk}
    endpoints = list(Endpoint.objects.filter(organisation_id__in=parties, is_active=True))
    if not endpoints:
        return
    event_id = uuid.uuid5(EVENT_NAMESPACE, f"transition:{instance.pk}")
    payload = {
        "event_id": str(event_id),
        "event": STATUS_CHANGED,
        "occurred_at": instance.at.isoformat(),
        "case": {
            "reference": reference,
            "status": instance.to_status,
            "previous_status": instance.from_status,
            "action": instance.action,
            "api": reverse("api:case", args=[reference]),
            "page": reverse("cases:detail", args=[reference]),
        },
    }
    Delivery.objects.bulk_create(
        [Delivery(endpoint=e, event_id=event_id, event=STATUS_CHANGED, payload=payload) for e in endpoints],
        ignore_conflicts=True,
    )
    ids = list(Delivery.objects.filter(event_id=event_id).values_list("pk", flat=True))
    transaction.on_commit(lambda: [queue.dispatch(DELIVER_TASK, pk) for pk in ids])
