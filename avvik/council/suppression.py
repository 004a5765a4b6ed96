"""Which counts the council may not see: small counts and the ones that would give them away."""

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum

from django.utils.translation import gettext as _

# The default threshold: counts from 1 to 4 are shown to the council as "<5". Each partnership sets
# its own (Partnership.small_count_threshold); this is the value a new one gets.
SMALL_COUNT = 5
# The two marks the council reads in place of a count, on the page, in the charts and in the PDF.
SUPPRESSED = "<5"  # a count from 1 to 4 (Hidden.SMALL) under the default threshold

# The threshold the charts drawn now are protected with, so that they print "<N" for it.
_drawing_threshold: ContextVar[int] = ContextVar("drawing_threshold", default=SMALL_COUNT)


def suppressed_mark(threshold: int | None = None) -> str:
    """The mark for a small count: "<5" under the default threshold, "<N" under another."""
    return f"<{threshold if threshold is not None else _drawing_threshold.get()}"


@contextmanager
def drawn_with(threshold: int) -> Iterator[None]:
    """Charts drawn inside print small counts as "<threshold"."""
    token = _drawing_threshold.set(threshold)
    try:
        yield
    finally:
        _drawing_threshold.reset(token)


def hidden_text() -> str:
    """The mark for a count withheld to protect a small one (Hidden.COMPLEMENT), in the active language."""
    return _("hidden")


def suppress(value: int, threshold: int = SMALL_COUNT) -> int | None:
    """None stands for "<5": small counts could point at a patient or a person."""
    return None if 0 < value < threshold else value


class Hidden(Enum):
    """Why the council does not see a count."""

    SMALL = "small"  # primary: a count from 1 to 4, shown as "<5"
    COMPLEMENT = "complement"  # secondary: hidden so that a small count cannot be worked out from a total


def hidden_cells(counts: Sequence[int], *, total_known: bool | None = None) -> dict[int, Hidden]:
    """The cells of a breakdown the council must not see, by index, with the reason for each.

    `counts` add up to a total the council sees (unless `total_known` is False; by default the
    total is known when it is 5 or more, as a smaller one is itself shown as "<5"). Every count
    from 1 to 4 is hidden as SMALL, and with it the smallest other non-zero cell as a COMPLEMENT:
    with one small cell hidden, the total gives it away; with a second cell hidden, only their sum
    is known. While the total minus the visible cells would still pin a small cell down exactly
    (1 and 5 out of 16 beside a visible 10: "<5" is at least 1 and "hidden" at least 5, so they can
    only be 1 and 5), the next smallest non-zero cell is hidden too. Zeros stay visible. When every
    non-zero cell is hidden and a small one can still be worked out (1 and 5 out of 6, or 4 and 4
    out of 8), the whole breakdown is withheld, zeros included, and no cell reads "<5", so that the
    council cannot tell which cell held what.

    "Pinned down" is judged as someone who knows this rule would: a small cell lies in 1..4, a
    complement is at least 5 and, being picked smallest first, at most the smallest visible
    non-zero cell. Ties are broken by position, so the result depends on the counts only.
    """
    hidden = {index: Hidden.SMALL for index, count in enumerate(counts) if 0 < count < SMALL_COUNT}
    if total_known is None:
        total_known = sum(counts) >= SMALL_COUNT
    if not hidden or not total_known:
        return hidden
    return _completed(counts, hidden)


def small_count_given_away(counts: Sequence[int]) -> bool:
    """Whether showing the total of `counts` beside them (small ones as "<5") would pin a small one down."""
    hidden = {index: Hidden.SMALL for index, count in enumerate(counts) if 0 < count < SMALL_COUNT}
    return bool(hidden) and sum(counts) >= SMALL_COUNT and _small_cell_determined(counts, hidden)


def hidden_table_cells(table: Sequence[Sequence[int]]) -> dict[tuple[int, int], Hidden]:
    """The cells of a two-way table the council must not see, keyed by (row, column).

    Row and column totals are taken as known whenever they are 5 or more (the reporting
    organisations' counts appear beside the rates, and a cautious reading assumes the rest can
    be had too). The one-way rule of hidden_cells() runs over every row and every column, where
    no hidden cell may stand alone either, and again over all of them until a pass hides nothing
    new, since a complement hidden in a row can leave a column with one hidden cell; a line that
    cannot be protected cell by cell is withheld whole. This is the usual heuristic, not a full audit (which
    would solve a linear programme over the whole table); it stops exact recovery along any one
    row or column, which is what a reader with the totals can do by subtraction.
    """
    hidden = {
        (row, column): Hidden.SMALL
        for row, counts in enumerate(table)
        for column, count in enumerate(counts)
        if 0 < count < SMALL_COUNT
    }
    width = len(table[0]) if table else 0
    lines = [[(row, column) for column in range(width)] for row in range(len(table))]
    lines += [[(row, column) for row in range(len(table))] for column in range(width)]
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            counts = [table[row][column] for row, column in line]
            inside = {index: hidden[cell] for index, cell in enumerate(line) if cell in hidden}
            if not inside or sum(counts) < SMALL_COUNT:
                continue
            for index, reason in _completed(counts, inside).items():
                if hidden.get(line[index]) is not reason:  # new, or a small cell of a withheld line
                    hidden[line[index]] = reason
                    changed = True
    return hidden


def _completed(counts: Sequence[int], hidden: dict[int, Hidden]) -> dict[int, Hidden]:
    """Complements added to `hidden` until no small count in the line can be worked out."""
    hidden = dict(hidden)
    # One complement whenever a small cell is hidden, whatever the small counts add up to: adding
    # it only when they add up to 1 + 1 or 4 + 4 would tell a reader that they do. And never one
    # hidden cell alone in a line of a table: the total gives it, and then its crossing line.
    needs_complement = Hidden.COMPLEMENT not in hidden.values() or len(hidden) == 1
    while needs_complement or _small_cell_determined(counts, hidden):
        needs_complement = False
        candidates = [index for index, count in enumerate(counts) if count > 0 and index not in hidden]
        if not candidates:  # withheld whole: "<5" beside the rest would still give the small one away
            return dict.fromkeys(range(len(counts)), Hidden.COMPLEMENT)
        hidden[min(candidates, key=lambda index: (counts[index], index))] = Hidden.COMPLEMENT
    return hidden


def _small_cell_determined(counts: Sequence[int], hidden: dict[int, Hidden]) -> bool:
    """Whether the total minus the visible cells fixes some hidden count from 1 to 4 to one value.

    Each hidden cell lies between a lower and an upper bound; with the sum of the hidden cells
    known, cell i lies in [max(low_i, sum - other highs), min(high_i, sum - other lows)].
    """
    visible = [(count, index) for index, count in enumerate(counts) if index not in hidden and count > 0]
    bounds = {}
    for index, reason in hidden.items():
        count = counts[index]
        if reason is Hidden.SMALL:
            bounds[index] = (1, SMALL_COUNT - 1)
        else:
            # Picked smallest first, ties by position: at most each visible cell after it, and below
            # each one before it. The bounds never exclude the truth (a complement from a crossing line,
            # or a withheld line's zeros and small counts).
            ceiling = min((other if after > index else other - 1 for other, after in visible), default=math.inf)
            bounds[index] = (SMALL_COUNT if count >= SMALL_COUNT else 0, max(count, ceiling))
    total = sum(counts[index] for index in hidden)
    for index in hidden:
        if not 0 < counts[index] < SMALL_COUNT:
            continue
        others = [bound for other, bound in bounds.items() if other != index]
        low, high = bounds[index]
        lowest = max(low, total - sum(other_high for _other_low, other_high in others))
        highest = min(high, total - sum(other_low for other_low, _other_high in others))
        if lowest == highest:
            return True
    return False
