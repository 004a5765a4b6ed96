"""Comments on the case's thread. While the case waits for the reporter, the reporter's comment is
their answer to the question: it resumes the case and its answer clock."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from avvik.cases import permissions
from avvik.cases.choices import Action
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Comment
from avvik.cases.recipients import other_side_of_comment
from avvik.cases.services.filing import StaleVersion
from avvik.cases.services.thread import account_number_confirmations_record
from avvik.cases.services.transitions import TransitionRefused, deviation_transition
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import notify
from avvik.tenancy.models import User


@transaction.atomic
def comment_add(
    *,
    deviation: Deviation,
    by: User,
    body: str,
    internal: bool = False,
    confirmed_account_numbers: Mapping[str, int] | None = None,
) -> Comment:
    """A comment on the shared thread, or an internal note for the writer's own side.
    `confirmed_account_numbers` is the form's: the writer's confirmation that numbers in the text
    are bank account numbers, recorded with the comment.

    While the case waits for the reporter, the reporter's comment on the shared thread is their
    answer: it resumes the case and its answer clock (the lifecycle's `reply`, a row on the
    timeline), and the case handler is told that the reporter answered instead of being told of a
    new comment. The comment is kept when someone resumed or closed the case meanwhile."""
    if not permissions.may_comment(by, deviation):
        raise PermissionDenied(_("You may not write on this deviation."))
    own = sorted(permissions.party_organisations_of(by, deviation))
    coordinator = permissions.is_coordinator_of(by, deviation)
    # A coordinator writes for the contact point; otherwise for their own party organisation.
    organisation_id = None if coordinator or not own else own[0]
    comment = Comment.objects.create(
        deviation=deviation, author=by, organisation_id=organisation_id, body=body, is_internal=internal
    )
    account_number_confirmations_record(deviation=deviation, by=by, confirmed=confirmed_account_numbers or {})
    if internal:
        return comment
    if answers_the_question(by, deviation) and _resume_on_reply(deviation=deviation, by=by):
        return comment
    notify(
        kind=NotificationKind.COMMENT,
        recipients=other_side_of_comment(deviation, by),
        deviation=deviation,
        threshold=f"c{comment.pk}",
    )
    return comment


def answers_the_question(user: User, deviation: Deviation) -> bool:
    """Whether a comment from `user` on the shared thread now answers the question the case waits
    on: the case waits for the reporter, and `user` filed it."""
    return permissions.may_act(user, deviation, Action.REPLY)


def _resume_on_reply(*, deviation: Deviation, by: User) -> bool:
    """Resume the case because the reporter answered; False when someone resumed or closed it meanwhile."""
    try:
        with transaction.atomic():
            deviation_transition(deviation=deviation, by=by, action=Action.REPLY)
    except (StaleVersion, TransitionRefused):
        deviation.refresh_from_db()
        return False
    return True
