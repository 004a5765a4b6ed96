"""What the case page shows as its conversation: the comments and the questions put to the
reporter, in the order they were written, and the question the case waits on."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from avvik.cases.choices import Action, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Comment, Transition


@dataclass(frozen=True)
class Entry:
    """One item of the thread: a comment, or a question to the reporter (a `wait` on the timeline)."""

    at: datetime
    comment: Comment | None = None
    question: Transition | None = None


def questions(transitions: Iterable[Transition]) -> list[Transition]:
    """The questions put to the reporter, oldest first."""
    return [transition for transition in transitions if transition.action == Action.WAIT]


def thread(comments: Iterable[Comment], transitions: Iterable[Transition]) -> list[Entry]:
    """The comments the person may read and the questions to the reporter, oldest first."""
    entries = [Entry(at=comment.created_at, comment=comment) for comment in comments]
    entries += [Entry(at=question.at, question=question) for question in questions(transitions)]
    return sorted(entries, key=lambda entry: entry.at)


def open_question(deviation: Deviation, transitions: Iterable[Transition]) -> Transition | None:
    """The question the case waits on: the last one asked, while the case waits for the reporter."""
    if deviation.status != Status.WAITING:
        return None
    asked = questions(transitions)
    return asked[-1] if asked else None
