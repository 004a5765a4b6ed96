"""The lifecycle of a case: the one table of who may do what from which status.

Each step says from which statuses it may be taken, the status it leads to, who may take it,
whether a note is required, which details the action takes besides the note, and what the
reporter is told afterwards. The service
(cases.services.transitions.deviation_transition) enforces it, the action forms are built from
it, and templates read it only to decide which buttons to show.
"""

from dataclasses import dataclass

from avvik.cases.choices import Action, Actor, Status
from avvik.outbox.choices import NotificationKind


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    actor: str
    note_required: bool = False
    details: tuple[str, ...] = ()  # what the action takes besides the note and the version
    tell_reporter: str = ""  # the notification the reporter gets afterwards, if any


LIFECYCLE: dict[str, Step] = {
    Action.FORWARD: Step(
        frozenset({Status.SUBMITTED, Status.FORWARDED}),
        Status.FORWARDED,
        Actor.COORDINATOR,
        details=("to", "category"),
        tell_reporter=NotificationKind.REPORTER_FORWARDED,
    ),
    Action.REJECT: Step(
        frozenset({Status.SUBMITTED, Status.FORWARDED}),
        Status.REJECTED,
        Actor.COORDINATOR,
        True,
        tell_reporter=NotificationKind.REJECTED,
    ),
    Action.WITHDRAW: Step(frozenset({Status.SUBMITTED}), Status.WITHDRAWN, Actor.REPORTER),
    Action.ACCEPT: Step(
        frozenset({Status.FORWARDED}), Status.IN_PROGRESS, Actor.RESPONSIBLE_HANDLER, details=("assignee",)
    ),
    Action.WAIT: Step(
        frozenset({Status.IN_PROGRESS}),
        Status.WAITING,
        Actor.RESPONSIBLE_HANDLER,
        True,
        tell_reporter=NotificationKind.QUESTION,
    ),
    Action.RESUME: Step(frozenset({Status.WAITING}), Status.IN_PROGRESS, Actor.RESPONSIBLE_HANDLER),
    Action.ANSWER: Step(
        frozenset({Status.IN_PROGRESS}),
        Status.ANSWERED,
        Actor.RESPONSIBLE_HANDLER,
        details=("cause", "measures", "measures_done"),
        tell_reporter=NotificationKind.ANSWERED,
    ),
    Action.CLOSE: Step(
        frozenset({Status.ANSWERED, Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING}),
        Status.CLOSED,
        Actor.COORDINATOR,
        True,
        tell_reporter=NotificationKind.CLOSED,
    ),
    Action.REOPEN: Step(frozenset({Status.ANSWERED, Status.CLOSED}), Status.IN_PROGRESS, Actor.COORDINATOR, True),
}
