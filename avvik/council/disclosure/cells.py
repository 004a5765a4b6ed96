"""The council's figures as cells of one system of sums, and their joint protection per quarter and year."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from avvik.council.counting import Statistics
from avvik.council.disclosure.figures import TOP_CLAUSES
from avvik.council.joint import Key, Relation, protect
from avvik.council.suppression import SMALL_COUNT, Hidden


@dataclass
class Cells:
    """The figures of one period as cells of the system of sums, with the sums that hold between them."""

    values: dict[Key, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    unpublished: set[Key] = field(default_factory=set)
    totals: set[Key] = field(default_factory=set)  # shown as they are in every page's trend

    def add(self, key: Key, value: int, *, published: bool = True) -> Key:
        self.values[key] = value
        if not published:
            self.unpublished.add(key)
        return key

    def breakdown(self, total: Key, parts: Iterable[Key]) -> None:
        self.relations.append(Relation(total, tuple(parts)))

    def merge(self, other: "Cells") -> None:
        self.values.update(other.values)
        self.relations += other.relations
        self.unpublished |= other.unpublished
        self.totals |= other.totals


# Breakdowns whose year cell is the sum of the same cell in the four quarters.
ADDITIVE = (
    "new",
    "closed",
    "category",
    "consequence",
    "clause",
    "reporting",
    "pair",
    "alerts",
    "alerts_sent",
    "alerts_not_sent",
    "measures_agreed",
    "measures_done",
    "answered",
    "answered_on_time",
    "answered_late",
    "triaged",
    "triaged_on_time",
    "triaged_late",
)


@dataclass(frozen=True)
class Universe:
    """Every label a breakdown has in any period of a year, so that each period has a cell for each."""

    categories: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()

    @classmethod
    def of(cls, periods: Iterable[Statistics]) -> "Universe":
        periods = list(periods)
        return cls(
            categories=tuple(sorted({row.label for stats in periods for row in stats.by_category})),
            clauses=tuple(sorted({row.label for stats in periods for row in stats.by_clause})),
            organisations=tuple(
                sorted(
                    {row.label for stats in periods for row in stats.by_reporting_organisation}
                    | {label for stats in periods for label in stats.matrix_rows}
                )
            ),
        )


def cells_of(stats: Statistics, tag: str, universe: Universe | None = None) -> Cells:
    """The council's figures of `stats` as cells keyed (what, period, label…)."""
    universe = universe or Universe.of([stats])
    cells = Cells()
    new = cells.add(("new", tag), stats.new)
    closed = cells.add(("closed", tag), stats.closed)
    cells.totals |= {new, closed}

    categories = {row.label: row.count for row in stats.by_category}
    cells.breakdown(
        new, [cells.add(("category", tag, label), categories.get(label, 0)) for label in universe.categories]
    )
    cells.breakdown(
        new,
        [cells.add(("consequence", tag, str(index)), row.count) for index, row in enumerate(stats.by_consequence)],
    )
    # A clause outside the ten is counted in "other clauses" or is zero: the reader cannot tell which.
    clauses = {row.label: row.count for row in stats.by_clause}
    top = {row.label for row in stats.by_clause[:TOP_CLAUSES]}
    rest = len(stats.by_clause) > TOP_CLAUSES
    clause_keys = [
        cells.add(("clause", tag, label), clauses.get(label, 0), published=label in top or not rest)
        for label in universe.clauses
    ]
    if rest:
        other = cells.add(("other_clauses", tag), sum(row.count for row in stats.by_clause[TOP_CLAUSES:]))
        cells.breakdown(other, [key for key in clause_keys if key in cells.unpublished])
        cells.breakdown(new, [key for key in clause_keys if key not in cells.unpublished] + [other])
    else:
        cells.breakdown(new, clause_keys)

    # The reporting organisations' counts stand beside the rates; taken as known even where no volume is.
    reported = {row.label: row.count for row in stats.by_reporting_organisation}
    reporting = {
        label: cells.add(("reporting", tag, label), reported.get(label, 0)) for label in universe.organisations
    }
    cells.breakdown(new, reporting.values())
    for row_label, values in zip(stats.matrix_rows, stats.matrix, strict=True):
        cells.breakdown(
            reporting[row_label],
            [
                cells.add(("pair", tag, row_label, column), value)
                for column, value in zip(stats.matrix_columns, values, strict=True)
            ],
        )

    # Open cases at the end of a period: the same cells for a year and its fourth quarter.
    end = stats.period.end.isoformat()
    open_at_end = cells.add(("open", end), stats.open_at_end)
    cells.breakdown(
        open_at_end,
        [cells.add(("backlog", end, str(index)), row.count) for index, row in enumerate(stats.backlog_by_age)],
    )

    alerts = cells.add(("alerts", tag), stats.statutory_alerts)
    cells.breakdown(
        alerts,
        [
            cells.add(("alerts_sent", tag), stats.statutory_alerts_sent),
            cells.add(("alerts_not_sent", tag), stats.statutory_alerts - stats.statutory_alerts_sent, published=False),
        ],
    )
    cells.add(("measures_agreed", tag), stats.measures_agreed)
    cells.add(("measures_done", tag), stats.measures_done)
    # A percentage beside its total gives both the on-time and the late count.
    for name, share in (("triaged", stats.triage_on_time), ("answered", stats.answer_on_time)):
        cells.breakdown(
            cells.add((name, tag), share.total),
            [
                cells.add((f"{name}_on_time", tag), share.on_time),
                cells.add((f"{name}_late", tag), share.total - share.on_time),
            ],
        )
    return cells


def year_relations(year: Cells, quarters: Mapping[str, Cells], year_tag: str) -> list[Relation]:
    """A year's cell is the sum of the same cell in its four quarters, wherever that holds."""
    relations = []
    for key, value in year.values.items():
        if key[0] not in ADDITIVE or key[1] != year_tag:
            continue
        parts = tuple((key[0], tag, *key[2:]) for tag in quarters)
        found = [quarters[tag].values.get(part) for tag, part in zip(quarters, parts, strict=True)]
        # A triage in two quarters counts once in the year: where the sum does not hold, it is no relation.
        if None not in found and sum(v for v in found if v is not None) == value:
            relations.append(Relation(key, parts))
    return relations


def protect_quarter(stats: Statistics, tag: str) -> tuple[Cells, dict[Key, Hidden]]:
    """A quarter is protected on its own: its pattern never depends on the year that follows."""
    cells = cells_of(stats, tag, Universe.of([stats]))
    return cells, _protect(cells, threshold=_threshold(stats))


def protect_year(year: Statistics, quarters: list[Statistics]) -> tuple[Cells, dict[Key, Hidden]]:
    """A completed year with its four quarters: the quarters keep the pattern they were published
    with, and the year's cells are hidden so that no quarter's hidden cell can be worked out."""
    threshold = _threshold(year)
    fixed: dict[Key, Hidden | None] = {}
    system = Cells()
    by_tag: dict[str, Cells] = {}
    universe = Universe.of([year, *quarters])
    for stats in quarters:
        tag = stats.period.tag
        _alone, hidden = protect_quarter(stats, tag)
        # The same quarter again over the year's labels: the added cells are zeros (or clauses inside
        # "other clauses", unknown to the reader), so its pattern stays as published.
        cells = cells_of(stats, tag, universe)
        for key in cells.values:
            fixed[key] = hidden.get(key, Hidden.COMPLEMENT if key in cells.unpublished else None)
        by_tag[tag] = cells
        system.merge(cells)
    # Open at the end of the year: the fourth quarter's cells, already published and so fixed.
    year_cells = cells_of(year, year.period.tag, universe)
    system.merge(year_cells)
    system.relations += year_relations(year_cells, by_tag, year.period.tag)
    hidden = protect(
        system.values,
        system.relations,
        threshold=threshold,
        unpublished=system.unpublished,
        fixed=fixed,
    )
    return system, hidden


def _protect(cells: Cells, *, threshold: int) -> dict[Key, Hidden]:
    return protect(
        cells.values, cells.relations, threshold=threshold, unpublished=cells.unpublished, keep_visible=cells.totals
    )


def _threshold(stats: Statistics) -> int:
    """The threshold frozen with the figures, else the partnership's."""
    return stats.threshold or getattr(stats.partnership, "small_count_threshold", None) or SMALL_COUNT


# The figures
