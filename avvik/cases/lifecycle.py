"""The lifecycle of a case: the one table of who may do what from which status."""

from typing import NamedTuple

from avvik.cases.choices import Action, Actor, Status


class Rule(NamedTuple):
    sources: frozenset[str]
    target: str
    actor: str
    note_required: bool


# The one table of allowed transitions. Services enforce it; templates read it to show buttons.
TRANSITIONS: dict[str, Rule] = {
    Action.FORWARD: Rule(frozenset({Status.SUBMITTED, Status.FORWARDED}), Status.FORWARDED, Actor.COORDINATOR, False),
    Action.REJECT: Rule(frozenset({Status.SUBMITTED, Status.FORWARDED}), Status.REJECTED, Actor.COORDINATOR, True),
    Action.WITHDRAW: Rule(frozenset({Status.SUBMITTED}), Status.WITHDRAWN, Actor.REPORTER, False),
    Action.ACCEPT: Rule(frozenset({Status.FORWARDED}), Status.IN_PROGRESS, Actor.RESPONSIBLE_HANDLER, False),
    Action.WAIT: Rule(frozenset({Status.IN_PROGRESS}), Status.WAITING, Actor.RESPONSIBLE_HANDLER, True),
    Action.RESUME: Rule(frozenset({Status.WAITING}), Status.IN_PROGRESS, Actor.RESPONSIBLE_HANDLER, False),
    Action.ANSWER: Rule(frozenset({Status.IN_PROGRESS}), Status.ANSWERED, Actor.RESPONSIBLE_HANDLER, False),
    Action.CLOSE: Rule(
        frozenset({Status.ANSWERED, Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING}),
        Status.CLOSED,
        Actor.COORDINATOR,
        True,
    ),
    Action.REOPEN: Rule(frozenset({Status.ANSWERED, Status.CLOSED}), Status.IN_PROGRESS, Actor.COORDINATOR, True),
}
