"""Deadlines in words, in the reader's language: "Answer due in 3 working days", "Overdue by 63 working days."

Text written for someone else (an outbox row, read later in an e-mail or on a page) keeps the number of
working days, not the words: `reason_of` writes it, `reason_text` puts it in words when it is read."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def deadline_badge(what: str, left: int) -> str:
    """`what` ("Triage", "Answer") due in `left` working days; negative when overdue."""
    if left > 0:
        text = ngettext("{what} due in {n} working day", "{what} due in {n} working days", left)
    elif left == 0:
        text = _("{what} due today")
    else:
        text = ngettext("{what} overdue by {n} working day", "{what} overdue by {n} working days", -left)
    return text.format(what=what, n=abs(left))


def working_days_sentence(left: int) -> str:
    """ "Due in 2 working days.", "Due today.", "Overdue by 63 working days." """
    if left > 0:
        return ngettext("Due in {n} working day.", "Due in {n} working days.", left).format(n=left)
    if left == 0:
        return _("Due today.")
    return ngettext("Overdue by {n} working day.", "Overdue by {n} working days.", -left).format(n=-left)


REASON = re.compile(r"working_days:(-?\d+)")


def reason_of(left: int) -> str:
    """The reason of a reminder as kept on the outbox row, the same in every language."""
    return f"working_days:{left}"


def reason_text(reason: str) -> str:
    """A kept reason in words in the active language; any other text as it is."""
    match = REASON.fullmatch(reason or "")
    return working_days_sentence(int(match.group(1))) if match else reason
