"""What the traffic page shows: per pair of parties, the messages, failures and time to receipt."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, FloatField, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from avvik.access.roles import Roles
from avvik.tenancy.models import Organisation, Unit
from avvik.traffic.models import Cluster, Message

# The page looks back this far.
PERIOD_DAYS = 30


@dataclass(frozen=True)
class PairFigures:
    sender_her_id: str
    receiver_her_id: str
    sender: str
    receiver: str
    messages: int
    failed: int
    recovered: int
    p50_minutes: float | None
    p95_minutes: float | None

    @property
    def failure_rate(self) -> float:
        return self.failed / self.messages if self.messages else 0.0


def her_ids_of(organisation_ids: frozenset[int]) -> set[str]:
    """The HER-ids of the organisations and of their units."""
    ids = set(Organisation.objects.filter(pk__in=organisation_ids).exclude(her_id="").values_list("her_id", flat=True))
    ids |= set(
        Unit.objects.filter(organisation_id__in=organisation_ids).exclude(her_id="").values_list("her_id", flat=True)
    )
    return ids


def visible_messages(roles: Roles, partnership_id: int) -> QuerySet[Message]:
    """A coordinator reads the partnership's traffic; a message traffic owner the traffic their
    organisations send or receive."""
    messages = Message.objects.filter(partnership_id=partnership_id)
    if partnership_id in roles.coordinator_of:
        return messages
    her_ids = her_ids_of(roles.message_owner_in)
    return messages.filter(Q(sender_her_id__in=her_ids) | Q(receiver_her_id__in=her_ids))


def visible_clusters(roles: Roles, partnership_id: int) -> QuerySet[Cluster]:
    clusters = Cluster.objects.filter(partnership_id=partnership_id)
    if partnership_id in roles.coordinator_of:
        return clusters
    her_ids = her_ids_of(roles.message_owner_in)
    return clusters.filter(Q(sender_her_id__in=her_ids) | Q(receiver_her_id__in=her_ids))


class _MinutesPercentile(Aggregate):
    """PostgreSQL's percentile_cont over the minutes from sending to the application receipt."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s) / 60)"
    output_field = FloatField()

    def __init__(self, fraction: float, **extra: Any) -> None:
        waited = ExpressionWrapper(F("receipt_at") - F("sent_at"), output_field=DurationField())
        super().__init__(waited, filter=Q(receipt_at__isnull=False), fraction=float(fraction), **extra)


def pair_figures(messages: QuerySet[Message], names: dict[str, str], now: datetime | None = None) -> list[PairFigures]:
    since = (now or timezone.now()) - timedelta(days=PERIOD_DAYS)
    recent = messages.filter(sent_at__gte=since)
    counts = recent.values("sender_her_id", "receiver_her_id").annotate(
        messages=Count("pk"),
        failed=Count("pk", filter=Q(failed_at__isnull=False)),
        recovered=Count("pk", filter=Q(recovered_at__isnull=False)),
    )
    in_sql = connection.vendor == "postgresql"
    durations: dict[tuple[str, str], list[float]] = {}
    rows: list[dict[str, Any]]
    if in_sql:
        rows = [dict(row) for row in counts.annotate(p50=_MinutesPercentile(0.5), p95=_MinutesPercentile(0.95))]
    else:
        rows = [dict(row) for row in counts]
        # SQLite has no percentile: the times are read and counted here (development and tests only).
        for sender, receiver, sent, received in recent.filter(receipt_at__isnull=False).values_list(
            "sender_her_id", "receiver_her_id", "sent_at", "receipt_at"
        ):
            if sent is not None and received is not None:  # both asked for by the filters
                durations.setdefault((sender, receiver), []).append((received - sent).total_seconds() / 60)
    figures = []
    for row in rows:
        pair = (row["sender_her_id"], row["receiver_her_id"])
        minutes = sorted(durations.get(pair, []))
        figures.append(
            PairFigures(
                sender_her_id=pair[0],
                receiver_her_id=pair[1],
                sender=names.get(pair[0], ""),
                receiver=names.get(pair[1], ""),
                messages=row["messages"],
                failed=row["failed"],
                recovered=row["recovered"],
                p50_minutes=row["p50"] if in_sql else _percentile(minutes, 50),
                p95_minutes=row["p95"] if in_sql else _percentile(minutes, 95),
            )
        )
    return sorted(figures, key=lambda f: (-f.failed, -f.messages))


@dataclass(frozen=True)
class Day:
    day: date
    messages: int
    failed: int


def daily_trend(messages: QuerySet[Message], now: datetime | None = None) -> list[Day]:
    """Messages sent and how many of them failed, per day of the period, days without traffic included.

    Counted in SQL, one row per day."""
    today = timezone.localdate(now or timezone.now())
    first = today - timedelta(days=PERIOD_DAYS - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    rows = (
        messages.filter(sent_at__gte=since)
        .annotate(day=TruncDate("sent_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(messages=Count("pk"), failed=Count("pk", filter=Q(failed_at__isnull=False)))
        .order_by()
    )
    by_day = {row["day"]: row for row in rows}
    days = [first + timedelta(days=offset) for offset in range(PERIOD_DAYS)]
    return [
        Day(day, by_day[day]["messages"] if day in by_day else 0, by_day[day]["failed"] if day in by_day else 0)
        for day in days
    ]


def _percentile(values: list[float], percent: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def her_names(partnership_id: int) -> dict[str, str]:
    """Names of the partnership's HER-ids: organisations, and units with their organisation."""
    names = dict(
        Organisation.objects.filter(partnership_id=partnership_id).exclude(her_id="").values_list("her_id", "name")
    )
    for her_id, unit, organisation in (
        Unit.objects.filter(organisation__partnership_id=partnership_id)
        .exclude(her_id="")
        .values_list("her_id", "name", "organisation__name")
    ):
        names[her_id] = f"{organisation}, {unit}"
    return names
