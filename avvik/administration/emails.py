"""The link in an invitation e-mail, given to the outbox (which knows nothing of invitations)."""

from django.urls import reverse

from avvik.administration.invitations import accept_path, is_pending
from avvik.administration.models import Invitation
from avvik.outbox.choices import NotificationKind
from avvik.outbox.emails import url_source
from avvik.outbox.models import Notification


@url_source(NotificationKind.INVITATION)
def invitation_link(notification: Notification) -> str:
    """The recipient's newest invitation: a newer one replaces the older link, so only it can be valid."""
    invitation = Invitation.objects.filter(person=notification.recipient).order_by("-pk").first()
    if invitation is None or not is_pending(invitation):
        return reverse("login")
    return accept_path(invitation)
