"""Message traffic reported by systems: each event as it came, and each message as the events add up.

An event is kept once per source, message id and kind, so a batch sent twice changes nothing; the
message row is folded from its events in any order, so a receipt that arrives before the sending
event is kept until the sending event comes."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import MessageType
from avvik.tenancy.models import Partnership, validate_her_id
from avvik.traffic.choices import EventKind, ReceiptStatus


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
        ]

    def __str__(self) -> str:
        return self.message_id
