"""The suppression rule: small counts hidden, and the counts that would give a small one away hidden too."""

from hypothesis import given, settings
from hypothesis import strategies as st

from avvik.council.suppression import SMALL_COUNT, Hidden, hidden_cells, hidden_table_cells, small_count_given_away

SMALL, COMPLEMENT = Hidden.SMALL, Hidden.COMPLEMENT


def shown(counts: list[int]) -> list[object]:
    """The breakdown as the council reads it: a number, "<5" or "hidden"."""
    hidden = hidden_cells(counts)
    return [{SMALL: "<5", COMPLEMENT: "hidden"}.get(hidden.get(index), count) for index, count in enumerate(counts)]


def sums(ranges: list[range], limit: int) -> set[int]:
    """Every total that one value from each range can make, up to `limit`."""
    totals = {0}
    for values in ranges:
        totals = {total + value for total in totals for value in values if total + value <= limit}
    return totals


def possible_values(marks: list[object], total: int, index: int, ranges: dict[int, range]) -> set[int]:
    """What cell `index` can hold, given the visible numbers, the total and a range for each hidden mark."""
    visible = sum(mark for mark in marks if isinstance(mark, int))
    rest = total - visible
    others = [ranges[other] for other in ranges if other != index]
    reachable = sums(others, rest)
    return {value for value in ranges[index] if rest - value in reachable}


def reader_ranges(marks: list[object], total: int) -> dict[int, range]:
    """What the published rule tells a reader about each hidden cell.

    "<5" is 1 to 4. "hidden" beside a visible number or a "<5" is a complement: 5 or more, and at most
    the smallest visible non-zero number (complements are picked smallest first). A breakdown hidden
    whole tells nothing but the total.
    """
    numbers = [mark for mark in marks if isinstance(mark, int) and mark > 0]
    whole = all(mark == "hidden" for mark in marks)
    ceiling = min(numbers, default=total)
    ranges = {}
    for index, mark in enumerate(marks):
        if mark == "<5":
            ranges[index] = range(1, SMALL_COUNT)
        elif mark == "hidden":
            ranges[index] = range(0, total + 1) if whole else range(SMALL_COUNT, ceiling + 1)
    return ranges


# The rule, by example


def test_nothing_is_hidden_when_no_count_is_small():
    assert hidden_cells([12, 0, 7, 5]) == {}


def test_one_small_count_takes_the_smallest_other_non_zero_count_with_it():
    # 40 - 20 - 9 - 8 would give 3 away
    assert hidden_cells([20, 3, 0, 9, 8]) == {1: SMALL, 4: COMPLEMENT}
    assert shown([20, 3, 0, 9, 8]) == [20, "<5", 0, 9, "hidden"]


def test_zeros_stay_visible_and_are_never_taken_as_the_complement():
    assert hidden_cells([0, 2, 0, 30]) == {1: SMALL, 3: COMPLEMENT}


def test_two_small_counts_still_take_a_complement_so_that_hiding_one_tells_nothing_about_their_sum():
    # Without 10 hidden, 1 + 1 = 2 would give both away; adding it only then would tell the reader so.
    assert hidden_cells([1, 1, 10, 20]) == {0: SMALL, 1: SMALL, 2: COMPLEMENT}
    assert hidden_cells([2, 3, 10, 20]) == {0: SMALL, 1: SMALL, 2: COMPLEMENT}


def test_a_complement_that_leaves_the_small_count_pinned_down_takes_another():
    # Hidden 1 and 5 sum to 6: "<5" is 1 to 4 and "hidden" at least 5, so 1 would be certain.
    assert hidden_cells([1, 5, 10]) == {0: SMALL, 1: COMPLEMENT, 2: COMPLEMENT}


def test_a_breakdown_that_cannot_be_protected_cell_by_cell_is_withheld_whole():
    assert shown([1, 5]) == ["hidden", "hidden"]
    assert shown([4, 4, 0]) == ["hidden", "hidden", "hidden"]  # 8 out of two "<5" is 4 and 4


def test_a_total_that_is_itself_small_shows_nothing_to_subtract_from():
    assert hidden_cells([3, 0]) == {0: SMALL}
    assert hidden_cells([2, 1]) == {0: SMALL, 1: SMALL}
    assert hidden_cells([3, 9], total_known=False) == {0: SMALL}


# The rule, as properties

breakdowns = st.lists(st.integers(min_value=0, max_value=25), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(breakdowns)
def test_no_small_count_can_be_worked_out_from_the_total_and_the_visible_cells(counts):
    total = sum(counts)
    marks = shown(counts)
    if total < SMALL_COUNT:
        return  # the total itself reads "<5"
    ranges = reader_ranges(marks, total)
    for index, count in enumerate(counts):
        if 0 < count < SMALL_COUNT:
            assert marks[index] in ("<5", "hidden")
            assert count in ranges[index], "the reader's range must hold the truth"
            assert len(possible_values(marks, total, index, ranges)) > 1, (counts, marks, index)


@settings(max_examples=300, deadline=None)
@given(breakdowns)
def test_zeros_stay_visible_small_counts_read_less_than_five_and_nothing_hides_without_cause(counts):
    hidden = hidden_cells(counts)
    withheld_whole = len(hidden) == len(counts) and set(hidden.values()) == {COMPLEMENT}
    if not any(0 < count < SMALL_COUNT for count in counts):
        assert hidden == {}
    for index, count in enumerate(counts):
        if withheld_whole:
            continue
        if count == 0:
            assert index not in hidden
        elif count < SMALL_COUNT:
            assert hidden[index] is SMALL
        elif index in hidden:
            assert hidden[index] is COMPLEMENT
            # a complement is never larger than a count left visible
            assert all(count <= other for position, other in enumerate(counts) if other and position not in hidden)


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda width: st.lists(
        st.lists(st.integers(min_value=0, max_value=12), min_size=width, max_size=width), min_size=1, max_size=5
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_small_pair_can_be_worked_out_from_its_row_or_column_total(table):
    hidden = hidden_table_cells(table)
    columns = [list(column) for column in zip(*table, strict=True)]
    for line, positions in [
        *[(row, [(r, c) for c in range(len(row))]) for r, row in enumerate(table)],
        *[(column, [(r, c) for r in range(len(column))]) for c, column in enumerate(columns)],
    ]:
        total = sum(line)
        if total < SMALL_COUNT:
            continue  # shown, if at all, as "<5"
        marks = [
            {SMALL: "<5", COMPLEMENT: "hidden"}.get(hidden.get(position), count)
            for position, count in zip(positions, line, strict=True)
        ]
        if len(line) > 1:  # a line of one cell is its own total, whatever is hidden
            assert marks.count("<5") + marks.count("hidden") != 1, "one hidden cell alone in a line"
        # A cautious reader's ranges: a "hidden" cell of a table may be anything up to the line's total.
        ranges = {
            index: range(1, SMALL_COUNT) if mark == "<5" else range(0, total + 1)
            for index, mark in enumerate(marks)
            if mark in ("<5", "hidden")
        }
        for index, count in enumerate(line):
            if 0 < count < SMALL_COUNT:
                assert marks[index] in ("<5", "hidden")
                assert len(possible_values(marks, total, index, ranges)) > 1, (table, line, marks)


def test_a_complement_in_a_row_can_call_for_one_in_its_column():
    table = [
        [3, 9, 20],
        [10, 10, 10],
        [10, 10, 10],
    ]
    hidden = hidden_table_cells(table)
    assert hidden[(0, 0)] is SMALL and hidden[(0, 1)] is COMPLEMENT
    # Column 1 now has one hidden cell, 9: its column total would give it away, so one more goes.
    assert sum(1 for row in range(3) if (row, 1) in hidden) >= 2
    assert sum(1 for row in range(3) if (row, 0) in hidden) >= 2


def test_a_total_made_of_quarters_is_given_away_only_beside_a_small_quarter():
    assert small_count_given_away([3, 10, 10, 10])
    assert small_count_given_away([1, 1, 10, 10])  # 2 out of two "<5": both are 1
    assert not small_count_given_away([2, 3, 10, 10])
    assert not small_count_given_away([10, 10, 0, 10])
