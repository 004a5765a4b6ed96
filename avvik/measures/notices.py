"""What a measure e-mail says besides its headline: which measure, whose, and by when. Never the
measure's own text, which is free text (the e-mail carries no free text but the case title)."""

from collections.abc import Iterable

from django.utils import formats
from django.utils.translation import gettext as _

from avvik.measures.models import Measure
from avvik.outbox.choices import NotificationKind
from avvik.outbox.emails import detail_source
from avvik.outbox.models import Notification


def measure_of(notification: Notification) -> Measure | None:
    """The measure a reminder is about, read from its key ("kind:d<case>:m<measure>:<due>:<recipient>")."""
    parts = notification.key.split(":")
    subject = parts[2] if len(parts) > 2 else ""
    if notification.deviation_id is None or not subject.startswith("m") or not subject[1:].isdigit():
        return None
    return (
        Measure.objects.filter(pk=int(subject[1:]), deviation_id=notification.deviation_id)
        .select_related("responsible_organisation")
        .first()
    )


@detail_source(NotificationKind.MEASURE_DUE)
@detail_source(NotificationKind.MEASURE_OVERDUE)
def measure_details(notification: Notification) -> Iterable[str]:
    measure = measure_of(notification)
    if measure is None:
        return []
    return [
        _("A measure agreed on this deviation is due {due}. Responsible: {organisation}.").format(
            due=formats.date_format(measure.due_date, "DATE_FORMAT"),
            organisation=measure.responsible_organisation.name,
        ),
        _("Open the measure to mark it carried out, or drop it with a reason."),
    ]
