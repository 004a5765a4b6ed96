"""The lifecycle of a case: the one table of who may do what from which status.

Each step says from which statuses it may be taken, the status it leads to, who may take it,
whether a note is required, which details the action takes besides the note, who is told
afterwards, whether the person confirms it on a page of its own first, and the sentence that says
it is done. The service (cases.services.transitions.deviation_transition) enforces it, the action
forms are built from it, and templates read it only to decide which buttons to show.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import OPEN_STATUSES, Action, Actor, Status
from avvik.outbox.choices import NotificationKind


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    actor: str
    note_required: bool = False
    details: tuple[str, ...] = ()  # what the action takes besides the note and the version
    tell_reporter: str = ""  # the notification the reporter gets afterwards, if any
    tell_handlers: str = ""  # the notification the case handler (or else the responsible handlers) gets
    tell_contact_point: str = ""  # the notification the partnership's coordinators get
    confirm: bool = False  # the person confirms on a page that says what will happen, before it is done
    on_thread: bool = False  # taken by writing on the thread (the comment is the reply), not by an action form
    # What the person is told when it is done; {organisation} is the responsible organisation's name.
    done: str | Promise = ""


LIFECYCLE: dict[str, Step] = {
    Action.FORWARD: Step(
        frozenset({Status.SUBMITTED, Status.FORWARDED}),
        Status.FORWARDED,
        Actor.COORDINATOR,
        details=("to", "category"),
        tell_reporter=NotificationKind.REPORTER_FORWARDED,
        done=_("The deviation is forwarded to {organisation}."),
    ),
    Action.REJECT: Step(
        frozenset({Status.SUBMITTED, Status.FORWARDED}),
        Status.REJECTED,
        Actor.COORDINATOR,
        True,
        tell_reporter=NotificationKind.REJECTED,
        confirm=True,
        done=_("The deviation is rejected. The reporter is told why."),
    ),
    Action.WITHDRAW: Step(
        frozenset({Status.SUBMITTED}),
        Status.WITHDRAWN,
        Actor.REPORTER,
        confirm=True,
        done=_("The deviation is withdrawn."),
    ),
    Action.ACCEPT: Step(
        frozenset({Status.FORWARDED}),
        Status.IN_PROGRESS,
        Actor.RESPONSIBLE_HANDLER,
        details=("assignee",),
        done=_("The deviation is accepted, and the answer deadline runs."),
    ),
    Action.WAIT: Step(
        frozenset({Status.IN_PROGRESS}),
        Status.WAITING,
        Actor.RESPONSIBLE_HANDLER,
        True,
        tell_reporter=NotificationKind.QUESTION,
        done=_("The question is sent to the reporter. The answer deadline stands still until they answer."),
    ),
    Action.RESUME: Step(
        frozenset({Status.WAITING}),
        Status.IN_PROGRESS,
        Actor.RESPONSIBLE_HANDLER,
        done=_("The case is resumed, and the answer deadline runs again."),
    ),
    # The reporter answers the question: their comment resumes the case and the answer clock.
    Action.REPLY: Step(
        frozenset({Status.WAITING}),
        Status.IN_PROGRESS,
        Actor.REPORTER,
        tell_handlers=NotificationKind.REPORTER_REPLIED,
        on_thread=True,
        done=_("Your answer is sent. {organisation} is told and goes on with the case."),
    ),
    Action.ANSWER: Step(
        frozenset({Status.IN_PROGRESS}),
        Status.ANSWERED,
        Actor.RESPONSIBLE_HANDLER,
        details=("cause", "measures", "measures_done"),
        tell_reporter=NotificationKind.ANSWERED,
        tell_contact_point=NotificationKind.CASE_ANSWERED,
        done=_("The answer is sent. The reporter and the contact point are told."),
    ),
    Action.CLOSE: Step(
        frozenset({Status.ANSWERED, Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING}),
        Status.CLOSED,
        Actor.COORDINATOR,
        True,
        tell_reporter=NotificationKind.CLOSED,
        confirm=True,
        done=_("The deviation is closed."),
    ),
    Action.REOPEN: Step(
        frozenset({Status.ANSWERED, Status.CLOSED}),
        Status.IN_PROGRESS,
        Actor.COORDINATOR,
        True,
        done=_("The deviation is reopened, with a new answer deadline."),
    ),
    # A duplicate report of the same event ends here; its reporter follows the main case (`into`).
    Action.MERGE: Step(
        frozenset(OPEN_STATUSES),
        Status.MERGED,
        Actor.COORDINATOR,
        details=("into",),
        tell_reporter=NotificationKind.MERGED,
        confirm=True,
        done=_("The deviation is merged into the main case. Both reporters are told."),
    ),
}
