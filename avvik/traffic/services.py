"""Taking in message events in batches: each row checked on its own, repeats dropped, the rest kept.

A row's problems are reported with its position and the other rows are kept. Repeats (the same
source, message id and kind, in the same batch or sent before) change nothing, so a system may send a
batch again after a timeout. Messages are folded from their events in whatever order they came."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.catalogue.models import Category
from avvik.tenancy.models import Partnership
from avvik.traffic.choices import EventKind, Failure, ReceiptStatus
from avvik.traffic.forms import EVENT_FIELDS, EventForm
from avvik.traffic.models import DEFAULT_RESPONSE_MINUTES, Cluster, Message, MessageEvent, ResponseTime, TrafficPolicy

if TYPE_CHECKING:
    from avvik.tenancy.models import User

MAX_BATCH = 1000


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row: its position (from 0 in an API batch, the line in a file) and errors by field."""

    position: int
    errors: dict[str, list[str]]


@dataclass
class IntakeResult:
    accepted: int = 0
    repeated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def add(self, other: "IntakeResult") -> None:
        self.accepted += other.accepted
        self.repeated += other.repeated
        self.errors.extend(other.errors)


def client_source(client_id: int) -> str:
    return f"client:{client_id}"


def upload_source(organisation_id: int) -> str:
    return f"upload:{organisation_id}"


def record_events(
    partnership_id: int, source: str, rows: Sequence[Mapping[str, Any]], positions: Sequence[int] | None = None
) -> IntakeResult:
    """Check and keep a batch of at most MAX_BATCH events reported by `source` in the partnership."""
    if len(rows) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} events in one batch")
    positions = positions if positions is not None else range(len(rows))
    result = IntakeResult()
    fresh: dict[tuple[str, str], MessageEvent] = {}
    for position, row in zip(positions, rows, strict=True):
        form = EventForm(data={name: row.get(name, "") for name in EVENT_FIELDS})
        if not form.is_valid():
            messages = {name: [str(message) for message in errs] for name, errs in form.errors.items()}
            result.errors.append(RowError(position, messages))
            continue
        event = MessageEvent(partnership_id=partnership_id, source=source, **form.cleaned_data)
        key = (event.message_id, event.kind)
        if key in fresh:
            result.repeated += 1
            continue
        fresh[key] = event
    if not fresh:
        return result
    message_ids = {message_id for message_id, _kind in fresh}
    with transaction.atomic():
        known = set(
            MessageEvent.objects.filter(source=source, message_id__in=message_ids).values_list("message_id", "kind")
        )
        new = [event for key, event in fresh.items() if key not in known]
        # A concurrent copy of the same batch may have come in between: the constraint keeps one.
        MessageEvent.objects.bulk_create(new, ignore_conflicts=True)
        _fold(partnership_id, source, new)
    result.accepted = len(new)
    result.repeated += len(fresh) - len(new)
    return result


@dataclass(frozen=True)
class ResponseTimes:
    """The partnership's agreed response times, read once per batch."""

    by_type: dict[str, int]
    default: int

    @classmethod
    def of(cls, partnership_id: int) -> "ResponseTimes":
        policy = TrafficPolicy.objects.filter(partnership_id=partnership_id).first()
        return cls(
            dict(ResponseTime.objects.filter(partnership_id=partnership_id).values_list("message_type", "minutes")),
            policy.default_response_minutes if policy else DEFAULT_RESPONSE_MINUTES,
        )

    def minutes(self, message_type: str) -> int:
        return self.by_type.get(message_type, self.default)


def _fold(partnership_id: int, source: str, events: Iterable[MessageEvent]) -> None:
    by_message: dict[str, list[MessageEvent]] = {}
    for event in events:
        by_message.setdefault(event.message_id, []).append(event)
    if not by_message:
        return
    for attempt in range(2):
        try:
            with transaction.atomic():
                _fold_once(partnership_id, source, by_message)
            return
        except IntegrityError:
            # Another batch created one of the messages first; the second pass finds and updates it.
            if attempt:
                raise


def _fold_once(partnership_id: int, source: str, by_message: dict[str, list[MessageEvent]]) -> None:
    times = ResponseTimes.of(partnership_id)
    existing = {
        message.message_id: message
        for message in Message.objects.select_for_update().filter(source=source, message_id__in=by_message)
    }
    now = timezone.now()
    created: list[Message] = []
    recovered_before = {pk for pk, message in existing.items() if message.recovered_at}
    for message_id, events in by_message.items():
        message = existing.get(message_id)
        if message is None:
            message = Message(partnership_id=partnership_id, source=source, message_id=message_id)
            created.append(message)
        for event in events:
            _apply(message, event)
        _judge(message, times)
        message.updated_at = now
    Message.objects.bulk_create(created)
    # A late receipt on a message already gathered into a cluster counts there as recovered.
    newly_recovered = {
        message.cluster_id
        for key, message in existing.items()
        if message.recovered_at and key not in recovered_before and message.cluster_id
    }
    if existing:
        Message.objects.bulk_update(
            existing.values(),
            [
                "message_type",
                "sender_her_id",
                "receiver_her_id",
                "sent_at",
                "transport_receipt_at",
                "receipt_at",
                "receipt_status",
                "error_code",
                "error_text",
                "due_at",
                "failed_at",
                "failure",
                "recovered_at",
                "updated_at",
            ],
        )
    for cluster_id in newly_recovered:
        Cluster.objects.filter(pk=cluster_id).update(
            recovered=Message.objects.filter(cluster_id=cluster_id, recovered_at__isnull=False).count()
        )


def _apply(message: Message, event: MessageEvent) -> None:
    """One event's facts on its message. Each kind comes once per message, so the order does not matter."""
    if event.kind == EventKind.SENT:
        message.sent_at = event.happened_at
        # The sender's own report says what was sent and between whom.
        message.message_type = event.message_type
        message.sender_her_id = event.sender_her_id
        message.receiver_her_id = event.receiver_her_id
    else:
        message.message_type = message.message_type or event.message_type
        message.sender_her_id = message.sender_her_id or event.sender_her_id
        message.receiver_her_id = message.receiver_her_id or event.receiver_her_id
    if event.kind == EventKind.TRANSPORT_RECEIPT:
        message.transport_receipt_at = event.happened_at
    elif event.kind == EventKind.APPREC:
        message.receipt_at = event.happened_at
        message.receipt_status = event.receipt_status
        message.error_code = event.error_code
        message.error_text = event.error_text


def _judge(message: Message, times: ResponseTimes) -> None:
    """When the receipt is due, and what the receipt says: a negative one fails the message at once;
    one that comes after the message was counted as failed for want of it is recorded as its recovery."""
    if message.sent_at is not None:
        message.due_at = message.sent_at + timedelta(minutes=times.minutes(message.message_type))
    if message.receipt_status == ReceiptStatus.NEGATIVE and not message.failed_at:
        message.failed_at = message.receipt_at
        message.failure = Failure.NEGATIVE
    elif (
        message.receipt_status == ReceiptStatus.OK
        and message.failure == Failure.NO_RECEIPT
        and not message.recovered_at
    ):
        message.recovered_at = message.receipt_at


@transaction.atomic
def response_times_set(
    *,
    by: "User",
    partnership: Partnership,
    default_response_minutes: int,
    cluster_window_hours: int,
    category: Category | None,
    response_times: Mapping[str, int | None],
) -> TrafficPolicy:
    """Save what the partnership agreed about its message traffic; a type without a time follows the default.

    Changes apply to messages sent from now on: a stored due time is not moved."""
    if partnership.pk not in roles_of(by).runs_settings_of:
        raise PermissionDenied(
            _("Only the partnership's coordinators and administrators may change its response times.")
        )
    if category is not None and (category.partnership_id != partnership.pk or not category.is_active):
        raise ValidationError({"category": _("Choose one of the partnership's active categories.")})
    policy = TrafficPolicy.objects.select_for_update().filter(partnership=partnership).first()
    if policy is None:
        policy = TrafficPolicy(partnership=partnership)
    changed = {
        "default_response_minutes": default_response_minutes,
        "cluster_window_hours": cluster_window_hours,
        "category": category,
    }
    if policy.pk is None or any(getattr(policy, name) != value for name, value in changed.items()):
        for name, value in changed.items():
            setattr(policy, name, value)
        policy.full_clean()
        # Saved row by row, not with update(), so django-auditlog records each change.
        policy.save()
    stored = {row.message_type: row for row in ResponseTime.objects.filter(partnership=partnership)}
    for message_type, minutes in response_times.items():
        row = stored.get(message_type)
        if minutes is None:
            if row is not None:
                row.delete()
        elif row is None:
            ResponseTime.objects.create(partnership=partnership, message_type=message_type, minutes=minutes)
        elif row.minutes != minutes:
            row.minutes = minutes
            row.save(update_fields=["minutes"])
    return policy
