"""The monitoring sweep: messages past their response time without a receipt fail, and failures are
gathered into clusters, each with one system deviation owned by the sending organisation.

The sweep costs what is due, not what is kept: both steps read partial indexes that hold only the
messages still waiting for a receipt and the failures not yet gathered."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from avvik.traffic.cases import open_case
from avvik.traffic.choices import Failure
from avvik.traffic.models import Cluster, Message, TrafficPolicy

# Failures gathered per transaction: a backlog is worked through in steps that each commit.
CHUNK = 5000
DEFAULT_WINDOW_HOURS = 24

ClusterKey = tuple[int, str, str, str, str, str]


@dataclass
class SweepResult:
    failed: int = 0
    gathered: int = 0
    clusters_opened: int = 0
    cases_opened: int = 0


def past_due(now: datetime) -> QuerySet[Message]:
    """Messages still waiting for a receipt whose time is up: read through `message_awaiting_receipt`."""
    return Message.objects.filter(
        due_at__lte=now, receipt_at__isnull=True, failed_at__isnull=True, due_at__isnull=False
    )


def ungathered() -> QuerySet[Message]:
    """Failures not yet in a cluster, oldest first: read through `message_failed_unclustered`."""
    return Message.objects.filter(failed_at__isnull=False, cluster__isnull=True).order_by("failed_at")


def sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    result.failed = past_due(now).update(failed_at=F("due_at"), failure=Failure.NO_RECEIPT, updated_at=now)
    while True:
        with transaction.atomic():
            batch = list(ungathered().select_for_update(skip_locked=True)[:CHUNK])
            if not batch:
                return result
            _gather(batch, result)


def _key(message: Message) -> ClusterKey:
    error = message.error_code if message.failure == Failure.NEGATIVE else ""
    return (
        message.partnership_id,
        message.sender_her_id,
        message.receiver_her_id,
        message.message_type,
        message.failure,
        error,
    )


def _gather(batch: list[Message], result: SweepResult) -> None:
    windows = dict(
        TrafficPolicy.objects.filter(partnership_id__in={m.partnership_id for m in batch}).values_list(
            "partnership_id", "cluster_window_hours"
        )
    )
    by_key: dict[ClusterKey, list[Message]] = {}
    for message in batch:
        by_key.setdefault(_key(message), []).append(message)
    for key, messages in by_key.items():
        partnership_id, sender, receiver, message_type, failure, error = key
        window = timedelta(hours=windows.get(partnership_id, DEFAULT_WINDOW_HOURS))
        cluster = (
            Cluster.objects.select_for_update()
            .filter(
                partnership_id=partnership_id,
                sender_her_id=sender,
                receiver_her_id=receiver,
                message_type=message_type,
                failure=failure,
                error_code=error,
                last_failure_at__gte=messages[0].failed_at - window,  # type: ignore[operator]
            )
            .order_by("-last_failure_at")
            .first()
        )
        for message in messages:
            assert message.failed_at is not None  # the query asked for failed messages
            # A failure long after the cluster's last one starts a new cluster: the old one ended.
            if cluster is not None and message.failed_at - cluster.last_failure_at > window:
                _finish(cluster, result)
                cluster = None
            if cluster is None:
                cluster = Cluster(
                    partnership_id=partnership_id,
                    sender_her_id=sender,
                    receiver_her_id=receiver,
                    message_type=message_type,
                    failure=failure,
                    error_code=error,
                    first_failure_at=message.failed_at,
                    last_failure_at=message.failed_at,
                )
                cluster.save()
                result.clusters_opened += 1
            cluster.failures += 1
            cluster.last_failure_at = max(cluster.last_failure_at, message.failed_at)
            if message.recovered_at:
                cluster.recovered += 1
            message.cluster = cluster
        assert cluster is not None
        _finish(cluster, result)
    Message.objects.bulk_update(batch, ["cluster"])
    result.gathered += len(batch)


def _finish(cluster: Cluster, result: SweepResult) -> None:
    cluster.save()
    if cluster.deviation_id is None and open_case(cluster):
        result.cases_opened += 1
