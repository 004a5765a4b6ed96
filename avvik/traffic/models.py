"""Message traffic reported by systems: each event as it came, and each message as the events add up.

An event is kept once per source, message id and kind, so a batch sent twice changes nothing; the
message row is folded from its events in any order, so a receipt that arrives before the sending
event is kept until the sending event comes."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import MessageType
from avvik.catalogue.models import Category
from avvik.tenancy.models import Organisation, Partnership, validate_her_id
from avvik.traffic.choices import EventKind, Failure, ReceiptStatus

# Without an agreed time for its type, a message should have its application receipt within this.
DEFAULT_RESPONSE_MINUTES = 240


class TrafficPolicy(models.Model):
    """What a partnership agreed about its message traffic (guideline 6.1.1 a and 6.1.2 d)."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="traffic_policy", verbose_name=_("partnership")
    )
    default_response_minutes = models.PositiveIntegerField(
        _("response time for other message types (minutes)"),
        default=DEFAULT_RESPONSE_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(60 * 24 * 14)],
    )
    cluster_window_hours = models.PositiveSmallIntegerField(
        _("window for gathering failures (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
        help_text=_("Failures of the same kind between the same two parties within this time become one case."),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category of system deviations"),
    )

    class Meta:
        verbose_name = _("message traffic policy")
        verbose_name_plural = _("message traffic policies")

    def __str__(self) -> str:
        return str(self.partnership)


class ResponseTime(models.Model):
    """The agreed time from sending to the application receipt for one message type, on the 24-hour clock."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="response_times", verbose_name=_("partnership")
    )
    message_type = models.CharField(_("message type"), max_length=30, choices=MessageType.choices)
    minutes = models.PositiveIntegerField(
        _("response time (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(60 * 24 * 14)]
    )

    class Meta:
        verbose_name = _("response time")
        verbose_name_plural = _("response times")
        ordering = ["message_type"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "message_type"], name="response_time_once_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.get_message_type_display()}: {self.minutes}"


class Cluster(models.Model):
    """Failures of one kind between the same two parties, gathered while they go on: one case, not a hundred."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="+", verbose_name=_("partnership"), db_index=False
    )
    sender_her_id = models.CharField(_("sender HER-id"), max_length=9, blank=True)
    receiver_her_id = models.CharField(_("receiver HER-id"), max_length=9, blank=True)
    message_type = models.CharField(_("message type"), max_length=30, choices=MessageType.choices, blank=True)
    failure = models.CharField(_("failure"), max_length=20, choices=Failure.choices)
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    sender_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("sender")
    )
    receiver_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("receiver")
    )
    first_failure_at = models.DateTimeField(_("first failure"))
    last_failure_at = models.DateTimeField(_("last failure"))
    failures = models.PositiveIntegerField(_("failed messages"), default=0)
    recovered = models.PositiveIntegerField(_("receipts that came late"), default=0)
    deviation = models.OneToOneField(
        "cases.Deviation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cluster",
        verbose_name=_("deviation"),
    )

    class Meta:
        verbose_name = _("failure cluster")
        verbose_name_plural = _("failure clusters")
        ordering = ["-last_failure_at"]
        indexes = [
            # The sweep looks up the open cluster of a failure's kind and pair.
            models.Index(
                fields=["partnership", "sender_her_id", "receiver_her_id", "message_type", "failure", "error_code"],
                name="cluster_kind",
            ),
            models.Index(fields=["partnership", "-last_failure_at"], name="cluster_partner_last"),
        ]

    def __str__(self) -> str:
        return f"{self.sender_her_id} → {self.receiver_her_id} {self.message_type} {self.failure} {self.error_code}"


class MessageEvent(models.Model):
    """One thing a system reported about one message."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="+", verbose_name=_("partnership"), db_index=False
    )
    # Who reported: "client:<id>" for an API client, "upload:<organisation id>" for a file uploaded on the page.
    source = models.CharField(_("source"), max_length=40)
    message_id = models.CharField(_("message id"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    message_type = models.CharField(_("message type"), max_length=30, choices=MessageType.choices, blank=True)
    sender_her_id = models.CharField(_("sender HER-id"), max_length=9, blank=True, validators=[validate_her_id])
    receiver_her_id = models.CharField(_("receiver HER-id"), max_length=9, blank=True, validators=[validate_her_id])
    happened_at = models.DateTimeField(_("when it happened"))
    receipt_status = models.CharField(
        _("application receipt"), max_length=10, choices=ReceiptStatus.choices, blank=True
    )
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    error_text = models.CharField(_("error text"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("message event")
        verbose_name_plural = _("message events")
        constraints = [
            models.UniqueConstraint(fields=["source", "message_id", "kind"], name="message_event_once_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.kind}"


class Message(models.Model):
    """One electronic message between two parties, as its events add up."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="+", verbose_name=_("partnership"), db_index=False
    )
    source = models.CharField(_("source"), max_length=40)
    message_id = models.CharField(_("message id"), max_length=100)
    message_type = models.CharField(_("message type"), max_length=30, choices=MessageType.choices, blank=True)
    sender_her_id = models.CharField(_("sender HER-id"), max_length=9, blank=True)
    receiver_her_id = models.CharField(_("receiver HER-id"), max_length=9, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    transport_receipt_at = models.DateTimeField(_("transport receipt"), null=True, blank=True)
    receipt_at = models.DateTimeField(_("application receipt received"), null=True, blank=True)
    receipt_status = models.CharField(
        _("application receipt"), max_length=10, choices=ReceiptStatus.choices, blank=True
    )
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    error_text = models.CharField(_("error text"), max_length=300, blank=True)
    # When the receipt is due: sent plus the agreed response time for the type.
    due_at = models.DateTimeField(_("receipt due"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    failure = models.CharField(_("failure"), max_length=20, choices=Failure.choices, blank=True)
    # A receipt that came after the message was counted as failed.
    recovered_at = models.DateTimeField(_("receipt came late"), null=True, blank=True)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages", verbose_name=_("cluster")
    )
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["source", "message_id"], name="message_once_per_source"),
        ]
        indexes = [
            # The traffic of a pair of parties over time.
            models.Index(
                fields=["partnership", "sender_her_id", "receiver_her_id", "sent_at"], name="message_pair_sent"
            ),
            # The sweep: messages still waiting for their receipt, a small share of all.
            models.Index(
                fields=["due_at"],
                condition=Q(receipt_at__isnull=True, failed_at__isnull=True, due_at__isnull=False),
                name="message_awaiting_receipt",
            ),
            # The sweep: failures not yet gathered into a cluster.
            models.Index(
                fields=["failed_at"],
                condition=Q(failed_at__isnull=False, cluster__isnull=True),
                name="message_failed_unclustered",
            ),
        ]

    def __str__(self) -> str:
        return self.message_id
