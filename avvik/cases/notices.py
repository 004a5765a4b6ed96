"""What a case's e-mails say besides their headline: registered with the outbox by kind."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from avvik.cases.choices import Action
from avvik.cases.models.records import Transition
from avvik.outbox.choices import NotificationKind
from avvik.outbox.emails import case_url, detail_source
from avvik.outbox.models import Notification
from avvik.tenancy.models import Organisation


@detail_source(NotificationKind.CLOSED)
def closing_details(notification: Notification) -> Iterable[str]:
    """For the reporter: who closed the case (name, organisation, the contact point), the closing
    note the coordinator wrote for them, and where the answer is. Never patient data: the note is
    the closing form's, checked for identity numbers and labelled as shown to the reporter."""
    deviation = notification.deviation
    if deviation is None:
        return []
    closing = (
        Transition.objects.filter(deviation=deviation, action=Action.CLOSE, at__lte=notification.created_at)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    lines = []
    if closing is not None and closing.by is not None:
        partnership = deviation.partnership.name
        organisation = (
            Organisation.objects.filter(memberships__user=closing.by, partnership_id=deviation.partnership_id)
            .order_by("name")
            .values_list("name", flat=True)
            .first()
        )
        if organisation:
            lines.append(
                _("Closed by {person} ({organisation}), for the contact point of {partnership}.").format(
                    person=str(closing.by), organisation=organisation, partnership=partnership
                )
            )
        else:
            lines.append(
                _("Closed by {person}, the contact point of {partnership}.").format(
                    person=str(closing.by), partnership=partnership
                )
            )
    if closing is not None and closing.note.strip():
        lines.append(_("Closing note: {note}").format(note=closing.note.strip()))
    if deviation.answered_at and deviation.responsible_organisation is not None:
        lines.append(
            _("The answer from {organisation} is on the case page.").format(
                organisation=deviation.responsible_organisation.name
            )
        )
    return lines


@detail_source(NotificationKind.MERGED)
def merged_details(notification: Notification) -> Iterable[str]:
    """For the duplicate's reporter: which case it was merged into, and where to follow it (they may
    read the main case from now on: querysets.readable_cases)."""
    deviation = notification.deviation
    if deviation is None or deviation.merged_into is None:
        return []
    main = deviation.merged_into
    return [
        _("Merged with {reference}: {title}.").format(reference=main.reference, title=main.title),
        _("Follow the main case: {url}").format(url=case_url(main)),
    ]
