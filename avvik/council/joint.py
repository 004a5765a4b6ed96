"""Joint protection of small counts over every figure the council can combine (docs/disclosure.md).

The council's figures form one system of sums: each breakdown adds up to its total, a year's cell is
the sum of its four quarters' cells, an organisation's row in the matrix adds up to its count. A cell
hidden on one page can be worked out on another unless the whole system is protected at once. Here a
figure is a cell with a key (what it counts, for which period, for which label); `protect()` hides
the small cells (primary) and then, relation by relation and until nothing changes, more cells
(complementary), so that every relation holding a hidden cell holds at least two, and where its total
is shown, hidden cells that add up to at least the threshold. `tests/council/test_disclosure_audit.py`
checks the result as a linear programme: no hidden cell can be narrowed to an interval below the
threshold.

The rule is deterministic: the same counts always give the same pattern, so opening a page twice or
rebuilding a report reveals nothing more.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from avvik.council.suppression import Hidden

Key = tuple[str, ...]


@dataclass(frozen=True)
class Relation:
    """`total` is the sum of `parts`; both sides are cells of the system."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def protect(
    values: Mapping[Key, int],
    relations: Iterable[Relation],
    *,
    threshold: int,
    unpublished: Collection[Key] = (),
    fixed: Mapping[Key, Hidden | None] | None = None,
    keep_visible: Collection[Key] = (),
) -> dict[Key, Hidden]:
    """The cells of `values` the council must not see, with the reason for each.

    `unpublished` cells are never shown (a clause inside "other clauses"): they count as hidden from
    the start, and are in the result too. `fixed` holds the pattern of cells published earlier (a
    quarter, when its year is protected later): a hidden one stays hidden, a shown one cannot be
    taken back, so complements are found among the other cells only. `keep_visible` cells are
    hidden only when small themselves (a quarter's total, which every page's trend shows as it is).
    """
    fixed = fixed or {}
    relations = list(relations)
    hidden: dict[Key, Hidden] = {}
    for key, value in values.items():
        if key in fixed:
            reason = fixed[key]
            if reason is not None:
                hidden[key] = reason
        elif key in unpublished or 0 < value < threshold:
            hidden[key] = Hidden.SMALL if 0 < value < threshold else Hidden.COMPLEMENT
    concealed = set(unpublished)
    changed = True
    while changed:
        changed = False
        for relation in relations:
            while not _safe(relation, values, hidden, concealed, threshold):
                candidate = _complement(relation, values, hidden, fixed, keep_visible)
                if candidate is None:
                    break  # nothing left to hide here; the audit test shows this does not happen
                hidden[candidate] = Hidden.COMPLEMENT
                changed = True
        # Where the marks would still tell a small count, the relation's total is hidden when its
        # small cells were published earlier, and the loop runs again for the total's own relations.
        changed = _withhold_where_marks_tell(values, relations, hidden, concealed, threshold, fixed) or changed
    return hidden


def _safe(
    relation: Relation, values: Mapping[Key, int], hidden: Mapping[Key, Hidden], concealed: set[Key], threshold: int
) -> bool:
    inside = [key for key in relation.members if key in hidden]
    if not inside:
        return True
    # A hidden zero that is shown as hidden moves nothing; an unpublished one is unknown to the reader.
    moving = [key for key in inside if values[key] > 0 or key in concealed]
    if len(moving) < 2:
        return False
    if relation.total in hidden:
        return True
    # With the total shown, small cells never stand only among themselves: a complement is added
    # whatever they add up to, since adding it only for 1 + 1 or 4 + 4 would tell that they do.
    if all(hidden[key] is Hidden.SMALL for key in inside):
        return False
    # And the hidden parts add up to a known sum: each lies between 0 and it.
    return sum(values[key] for key in inside) >= threshold


def _complement(
    relation: Relation,
    values: Mapping[Key, int],
    hidden: Mapping[Key, Hidden],
    fixed: Mapping[Key, Hidden | None],
    keep_visible: Collection[Key],
) -> Key | None:
    """The next cell to hide: the smallest non-zero part (ties by key), the total only when no part is left."""

    def free(key: Key) -> bool:
        return key not in hidden and key not in fixed and values[key] > 0

    parts = sorted((key for key in relation.parts if free(key)), key=lambda key: (values[key], key))
    if parts:
        return parts[0]
    if free(relation.total) and relation.total not in keep_visible:
        return relation.total
    return None


def _withhold_where_marks_tell(
    values: Mapping[Key, int],
    relations: list[Relation],
    hidden: dict[Key, Hidden],
    concealed: set[Key],
    threshold: int,
    fixed: Mapping[Key, Hidden | None],
) -> bool:
    """Shows every hidden cell of a relation as "hidden" where the marks would pin a small one.

    "<5" says 1 to 4, and a complement is never small, so 1 and 5 out of a shown 6 leave one answer
    even though the sums alone leave many. There every small cell of the relation reads "hidden"
    instead, which says nothing of its size. Cells published earlier keep their marks; their
    relation's total is hidden instead, and True returned so that protection runs again.
    """
    total_hidden = False
    changed = True
    while changed:
        changed = False
        for relation in relations:
            if relation.total in hidden:
                continue
            inside = [key for key in relation.parts if key in hidden]
            small = [key for key in inside if hidden[key] is Hidden.SMALL]
            if not small:
                continue
            known = sum(values[key] for key in inside)
            # Complements are picked smallest first, so a reader may take one to be at most the smallest
            # shown part; the bound never excludes the truth (one picked in a crossing relation may be more).
            shown = [values[key] for key in relation.parts if key not in hidden and values[key] > 0]
            ceiling = min(shown, default=known)
            bounds = {}
            for key in inside:
                if hidden[key] is Hidden.SMALL:
                    bounds[key] = (1, threshold - 1)
                elif key in concealed or values[key] < threshold:
                    bounds[key] = (0, known)
                else:
                    bounds[key] = (threshold, max(values[key], min(ceiling, known)))
            for key in small:
                low, high = bounds[key]
                others = [bound for other, bound in bounds.items() if other != key]
                lowest = max(low, known - sum(other_high for _low, other_high in others))
                highest = min(high, known - sum(other_low for other_low, _high in others))
                if lowest >= highest:
                    if any(cell in fixed for cell in small) and relation.total not in fixed:
                        hidden[relation.total] = Hidden.COMPLEMENT
                        total_hidden = changed = True
                    for cell in small:
                        if cell not in fixed:
                            hidden[cell] = Hidden.COMPLEMENT
                            changed = True
                    break
    return total_hidden
