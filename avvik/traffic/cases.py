"""The system deviation of a cluster: the sending organisation reports it about the receiving one."""

from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from avvik.access.people import message_owners_of
from avvik.cases.choices import AppRec, Channel, MessageType
from avvik.cases.models import Deviation
from avvik.cases.services.system import system_deviation_submit
from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import Category
from avvik.tenancy.models import Organisation, Partnership
from avvik.traffic.choices import Failure
from avvik.traffic.models import Cluster, TrafficPolicy


def organisation_of(partnership_id: int, her_id: str) -> Organisation | None:
    """The partnership's organisation with this HER-id, its own or one of its units'."""
    if not her_id:
        return None
    return (
        Organisation.objects.filter(partnership_id=partnership_id, is_active=True)
        .filter(Q(her_id=her_id) | Q(units__her_id=her_id))
        .distinct()
        .first()
    )


def _category(partnership_id: int) -> Category | None:
    policy = TrafficPolicy.objects.filter(partnership_id=partnership_id).select_related("category").first()
    if policy and policy.category and policy.category.is_active:
        return policy.category
    # Without a choice, the first active category about messages (the default catalogue's
    # "Elektroniske meldinger"), else the first active one.
    active = Category.objects.filter(partnership_id=partnership_id, is_active=True).order_by("position", "pk")
    return active.filter(concerns_message=True).first() or active.first()


def open_case(cluster: Cluster) -> Deviation | None:
    """Open the cluster's case; None while a party cannot be named (the traffic page shows it)."""
    sender = organisation_of(cluster.partnership_id, cluster.sender_her_id)
    receiver = organisation_of(cluster.partnership_id, cluster.receiver_her_id)
    cluster.sender_organisation, cluster.receiver_organisation = sender, receiver
    category = _category(cluster.partnership_id)
    if sender is None or receiver is None or sender == receiver or category is None:
        cluster.save(update_fields=["sender_organisation", "receiver_organisation"])
        return None
    first = cluster.messages.order_by("failed_at").first()
    partnership = Partnership.objects.get(pk=cluster.partnership_id)
    with translation.override(partnership.written_form):
        title, description = _texts(cluster, sender, receiver)
    deviation = system_deviation_submit(
        organisation=sender,
        counterpart=receiver,
        reporter=message_owners_of(sender.pk).order_by("pk").first(),
        occurred_at=cluster.first_failure_at,
        fields={
            "category": category,
            "consequence": Consequence.NONE,
            "title": title[:200],
            "description": description,
            "message_type": cluster.message_type,
            "sender_her_id": cluster.sender_her_id,
            "receiver_her_id": cluster.receiver_her_id,
            "message_sent_at": first.sent_at if first else None,
            "message_id": first.message_id[:100] if first else "",
            "apprec": AppRec.NEGATIVE if cluster.failure == Failure.NEGATIVE else AppRec.MISSING,
            "apprec_error_code": cluster.error_code,
            "channel": Channel.HEALTH_NETWORK,
        },
    )
    cluster.deviation = deviation
    cluster.save(update_fields=["sender_organisation", "receiver_organisation", "deviation"])
    return deviation


def _texts(cluster: Cluster, sender: Organisation, receiver: Organisation) -> tuple[str, str]:
    kind = MessageType(cluster.message_type).label if cluster.message_type else gettext("Message")
    if cluster.failure == Failure.NEGATIVE:
        title = gettext("Negative application receipt ({code}): {kind} from {sender} to {receiver}")
    else:
        title = gettext("No application receipt: {kind} from {sender} to {receiver}")
    title = title.format(code=cluster.error_code or "–", kind=kind, sender=sender.name, receiver=receiver.name)
    description = gettext(
        "Found by the monitoring of message traffic. Messages of this kind from HER-id {sender_her} to HER-id "
        "{receiver_her} failed from {first}. Further failures of the same kind between the same parties are "
        "gathered on this case, and receipts that come late are recorded; the case shows the messages."
    ).format(
        sender_her=cluster.sender_her_id,
        receiver_her=cluster.receiver_her_id,
        first=formats.date_format(timezone.localtime(cluster.first_failure_at), "SHORT_DATETIME_FORMAT"),
    )
    return title, description
