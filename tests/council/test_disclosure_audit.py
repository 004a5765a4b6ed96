"""The interval audit: everything the council is shown of a year and its four quarters, read as one
system of linear equations, leaves every hidden count an interval at least as wide as the threshold.

The published figures come through the council's own path (disclosure.council_figures, which the
statistics page and the PDF read). The audit knows nothing of how cells were chosen: it reads what a
reader reads (the visible numbers, and which are hidden), writes down every sum the reader knows holds
(each breakdown adds up to its total, each organisation's row in the matrix to its count, the year to
its quarters, the year's open cases to the fourth quarter's, the trend to each quarter's page), takes
each hidden count as a variable of at least zero, and asks a linear programme for its least and its
greatest value.
"""

import random
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from scipy.optimize import linprog

from avvik.catalogue.choices import Consequence
from avvik.council import freezing
from avvik.council.counting import Row, Share, Statistics
from avvik.council.disclosure import Count, Figures, council_figures
from avvik.council.models import FrozenFigures
from avvik.council.periods import Period
from avvik.tenancy.models import Partnership

YEAR = 2025
CATEGORIES = ["Epikrise", "Henvisning", "Laboratoriesvar", "Legemiddelliste", "PLO-melding", "Røntgensvar"]
CLAUSES = [f"6.{number} Punkt" for number in range(1, 15)]
ORGANISATIONS = ["A kommune", "B kommune", "C sykehus", "D kommune"]
BACKLOG = ["0–5", "6–10", "11–20", "over 20"]


# Sparse generated data, aggregated as statistics_for would


@dataclass(frozen=True)
class Case:
    category: str
    consequence: int
    clause: str
    reporting: str
    responsible: str
    closed: bool
    alert: bool
    alert_sent: bool
    measures: bool
    done: bool
    answered: bool
    answered_on_time: bool
    triaged_on_time: bool


def generated_cases(rng: random.Random, count: int) -> list[Case]:
    """Many small counts: few cases spread over many categories, clauses and organisation pairs."""
    consequences = len(Consequence.choices)
    return [
        Case(
            category=rng.choice(CATEGORIES),
            consequence=min(int(rng.expovariate(0.9)), consequences - 1),
            clause=rng.choice(CLAUSES[: rng.choice((11, 14))]),
            reporting=rng.choice(ORGANISATIONS),
            responsible=rng.choice(ORGANISATIONS),
            closed=rng.random() < 0.7,
            alert=(alert := rng.random() < 0.15),
            alert_sent=alert and rng.random() < 0.7,
            measures=(measures := rng.random() < 0.4),
            done=measures and rng.random() < 0.5,
            answered=(answered := rng.random() < 0.6),
            answered_on_time=answered and rng.random() < 0.8,
            triaged_on_time=rng.random() < 0.85,
        )
        for _ in range(count)
    ]


def rows(counter: Counter) -> list[Row]:
    return [Row(label, n) for label, n in sorted(counter.items(), key=lambda item: (-item[1], item[0])) if n]


def aggregated(period: Period, cases: list[Case], backlog: list[int], trend: dict[str, tuple[int, int]]) -> Statistics:
    partnership = Partnership(name="Helsefellesskap Audit", small_count_threshold=5)
    consequence_counts = Counter(case.consequence for case in cases)
    pairs = Counter((case.reporting, case.responsible) for case in cases)
    answered = [case for case in cases if case.answered]
    labels = [quarter.label for quarter in period.previous_quarters(8)]
    return Statistics(
        partnership=partnership,
        period=period,
        organisation=None,
        new=len(cases),
        closed=sum(case.closed for case in cases),
        open_at_end=sum(backlog),
        by_category=rows(Counter(case.category for case in cases)),
        by_clause=rows(Counter(case.clause for case in cases)),
        by_consequence=[
            Row(str(label), consequence_counts[index]) for index, (_v, label) in enumerate(Consequence.choices)
        ],
        by_reporting_organisation=rows(Counter(case.reporting for case in cases)),
        matrix_rows=list(ORGANISATIONS),
        matrix_columns=list(ORGANISATIONS),
        matrix=[[pairs[(row, column)] for column in ORGANISATIONS] for row in ORGANISATIONS],
        triage_on_time=Share(sum(case.triaged_on_time for case in cases), len(cases)),
        answer_on_time=Share(sum(case.answered_on_time for case in answered), len(answered)),
        handling_median=3 if answered else None,
        handling_p90=9 if answered else None,
        backlog_by_age=[Row(label, count) for label, count in zip(BACKLOG, backlog, strict=True)],
        statutory_alerts=sum(case.alert for case in cases),
        statutory_alerts_sent=sum(case.alert_sent for case in cases),
        measures_agreed=sum(case.measures for case in cases),
        measures_done=sum(case.done for case in cases),
        trend_labels=labels,
        trend_new=[trend[label][0] for label in labels],
        trend_closed=[trend[label][1] for label in labels],
    )


@dataclass
class World:
    """Sparse statistics for a year, its quarters and the four quarters before, as statistics_for gives them."""

    seed: int
    statistics: dict[Period, Statistics] = field(default_factory=dict)

    def __post_init__(self):
        rng = random.Random(self.seed)
        quarters = [Period.quarter(YEAR, number) for number in range(1, 5)]
        earlier = Period.year(YEAR).previous_quarters(12)[:8]
        cases = {quarter: generated_cases(rng, rng.randint(4, 22)) for quarter in quarters}
        trend = {quarter.label: (rng.randint(0, 20), rng.randint(0, 20)) for quarter in earlier}
        trend |= {q.label: (len(cases[q]), sum(case.closed for case in cases[q])) for q in quarters}
        backlogs = {quarter: [rng.choice((0, 0, 1, 2, 3, 6, 9)) for _ in BACKLOG] for quarter in quarters}
        for quarter in quarters:
            self.statistics[quarter] = aggregated(quarter, cases[quarter], backlogs[quarter], trend)
        year = Period.year(YEAR)
        everything = [case for quarter in quarters for case in cases[quarter]]
        self.statistics[year] = aggregated(year, everything, backlogs[quarters[-1]], trend)

    def counted(self, partnership, period, organisation=None) -> Statistics:
        return self.statistics[period]


def published(world: World) -> dict[str, Figures]:
    """The five pages as the council reads them, through the council's own path."""
    pages = {}
    for period in [*(Period.quarter(YEAR, number) for number in range(1, 5)), Period.year(YEAR)]:
        _stats, figures = council_figures(Partnership(small_count_threshold=5), period, counted=world.counted)
        pages[period.tag] = figures
    return pages


# The audit


class System:
    """Linear equations over the published figures; a hidden figure is a variable of at least zero."""

    def __init__(self):
        self.variables: dict[tuple, int] = {}
        self.truth: dict[tuple, int] = {}
        self.hidden: set[tuple] = set()  # the variables the council sees as hidden
        self.equations: list[tuple[dict[int, int], int]] = []

    def cell(self, key: tuple, count: Count | None, truth: int, *, shown_as_hidden: bool = True):
        """A constant when shown, else a variable; the same key always gives the same one."""
        if count is not None and count.value is not None:
            return count.value
        if key not in self.variables:
            self.variables[key] = len(self.variables)
            self.truth[key] = truth
            if shown_as_hidden:
                self.hidden.add(key)
        return ("var", self.variables[key])

    def equal(self, total, parts) -> None:
        """total = sum(parts), each a constant or a variable."""
        coefficients: Counter = Counter()
        constant = 0
        for term, sign in [(total, 1), *((part, -1) for part in parts)]:
            if isinstance(term, tuple):
                coefficients[term[1]] += sign
            else:
                constant -= sign * term
        coefficients = Counter({index: c for index, c in coefficients.items() if c})
        if coefficients:
            self.equations.append((dict(coefficients), constant))
        else:
            assert constant == 0, "the published figures contradict each other"

    def intervals(self) -> dict[tuple, tuple[float, float]]:
        size = len(self.variables)
        matrix = [[coefficients.get(index, 0) for index in range(size)] for coefficients, _c in self.equations]
        constants = [constant for _coefficients, constant in self.equations]
        found = {}
        for key in sorted(self.hidden):
            index = self.variables[key]
            objective = [0] * size
            objective[index] = 1
            low = linprog(objective, A_eq=matrix, b_eq=constants, bounds=(0, None), method="highs")
            objective[index] = -1
            high = linprog(objective, A_eq=matrix, b_eq=constants, bounds=(0, None), method="highs")
            assert low.status == 0, "the published figures have no solution"
            found[key] = (low.fun, -high.fun if high.status == 0 else float("inf"))
        return found


def audit(pages: dict[str, Figures], world: World) -> tuple[dict[tuple, tuple[float, float]], System]:
    """Every hidden figure's interval, given everything the five pages publish."""
    system = System()
    truth = {period.tag: stats for period, stats in world.statistics.items()}
    quarters = [f"{YEAR}Q{number}" for number in range(1, 5)]
    cells: dict[str, dict[tuple, object]] = {}
    for tag, figures in pages.items():
        stats = truth[tag]
        page: dict[tuple, object] = {}
        cells[tag] = page

        def shown(key, count, value, page=page, tag=tag):
            page[key] = system.cell((tag, *key), count, value)
            return page[key]

        new = shown(("new",), figures.new, stats.new)
        shown(("closed",), figures.closed, stats.closed)
        for family, lines, exact_rows in (
            ("category", figures.by_category, stats.by_category),
            ("reporting", figures.by_reporting_organisation, stats.by_reporting_organisation),
        ):
            counts = {row.label: row.count for row in exact_rows}
            listed = {line.label: line.count for line in lines}
            universe = CATEGORIES if family == "category" else ORGANISATIONS
            # A label that is not listed has no cases in the period: a shown zero.
            parts = [shown((family, label), listed.get(label, Count(0)), counts.get(label, 0)) for label in universe]
            system.equal(new, parts)
        consequences = [
            shown(("consequence", index), line.count, row.count)
            for index, (line, row) in enumerate(zip(figures.by_consequence, stats.by_consequence, strict=True))
        ]
        system.equal(new, consequences)
        clause_counts = {row.label: row.count for row in stats.by_clause}
        listed = {line.label: line.count for line in figures.by_clause}
        if figures.other_clauses:
            other = shown(("other_clauses",), figures.other_clauses_total, sum(r.count for r in stats.by_clause[10:]))
            # Outside the ten, a clause is in "other clauses" or is zero: the reader cannot tell which.
            rest = [
                system.cell((tag, "clause", label), None, clause_counts.get(label, 0), shown_as_hidden=False)
                for label in CLAUSES
                if label not in listed
            ]
            for label in CLAUSES:
                if label not in listed:
                    page[("clause", label)] = ("var", system.variables[(tag, "clause", label)])
            system.equal(other, rest)
            system.equal(
                new,
                [shown(("clause", label), count, clause_counts[label]) for label, count in listed.items()] + [other],
            )
        else:
            parts = [
                shown(("clause", label), listed.get(label, Count(0)), clause_counts.get(label, 0)) for label in CLAUSES
            ]
            system.equal(new, parts)
        exact_matrix = dict(zip(stats.matrix_rows, stats.matrix, strict=True))
        for row in figures.matrix:
            pairs = [
                shown(("pair", row.label, column), count, exact_matrix[row.label][index])
                for index, (column, count) in enumerate(zip(figures.matrix_columns, row.counts, strict=True))
            ]
            system.equal(page[("reporting", row.label)], pairs)
        # Open at the end of the year are the fourth quarter's: one set of cells for both.
        end_tag = quarters[-1] if tag == str(YEAR) else tag
        open_key = (end_tag, "open")
        opened = system.cell(open_key, figures.open_at_end, stats.open_at_end)
        backlog = [
            system.cell((end_tag, "backlog", index), line.count, row.count)
            for index, (line, row) in enumerate(zip(figures.backlog, stats.backlog_by_age, strict=True))
        ]
        system.equal(opened, backlog)
        alerts = shown(("alerts",), figures.statutory_alerts, stats.statutory_alerts)
        sent = shown(("alerts_sent",), figures.statutory_alerts_sent, stats.statutory_alerts_sent)
        not_sent = system.cell(
            (tag, "alerts_not_sent"), None, stats.statutory_alerts - stats.statutory_alerts_sent, shown_as_hidden=False
        )
        page[("alerts_not_sent",)] = not_sent
        system.equal(alerts, [sent, not_sent])
        shown(("measures_agreed",), figures.measures_agreed, stats.measures_agreed)
        shown(("measures_done",), figures.measures_done, stats.measures_done)
        for name, compliance, share in (
            ("triaged", figures.triage_on_time, stats.triage_on_time),
            ("answered", figures.answer_on_time, stats.answer_on_time),
        ):
            total = shown((name,), compliance.total, share.total)
            # A percentage beside its total gives the on-time count (and so the late one).
            known = share.on_time if compliance.shown else None
            on_time = shown((f"{name}_on_time",), Count(known) if known is not None else None, share.on_time)
            late = shown(
                (f"{name}_late",),
                Count(share.total - known) if known is not None else None,
                share.total - share.on_time,
            )
            system.equal(total, [on_time, late])
        # Each page's trend shows the quarters' own totals.
        for point, trend_quarter in zip(figures.trend, stats.period.previous_quarters(8), strict=True):
            quarter = trend_quarter.tag
            if quarter in quarters:
                for family, count in (("new", point.new), ("closed", point.closed)):
                    value = system.cell((f"trend:{tag}", quarter, family), count, 0, shown_as_hidden=False)
                    cells.setdefault(f"trend:{quarter}", {})[(tag, family)] = value
    for quarter in quarters:
        for (_tag, family), value in cells.get(f"trend:{quarter}", {}).items():
            system.equal(cells[quarter][(family,)], [value])
    # The year is the sum of its quarters, cell by cell, wherever that holds.
    year = cells[str(YEAR)]
    for key, total in year.items():
        if key[0] in ("open", "other_clauses") or not all(key in cells[quarter] for quarter in quarters):
            continue
        system.equal(total, [cells[quarter][key] for quarter in quarters])
    return system.intervals(), system


def narrow(intervals: dict, threshold: int) -> dict:
    return {key: (low, high) for key, (low, high) in intervals.items() if high - low < threshold - 1e-6}


SEEDS = range(12)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_hidden_count_of_a_year_and_its_quarters_can_be_narrowed_below_the_threshold(seed):
    world = World(seed)
    pages = published(world)
    intervals, system = audit(pages, world)
    assert system.hidden, "sparse data must hide something, or the audit proves nothing"
    for key, (low, high) in intervals.items():
        assert low - 1e-6 <= system.truth[key] <= high + 1e-6  # the audit's system holds the truth
    assert narrow(intervals, 5) == {}


def frozen_world(seed: int) -> World:
    """The same world, its year made as a frozen year is: from its quarters' stored counts."""
    world = World(seed)
    quarters = [Period.quarter(YEAR, number) for number in range(1, 5)]
    stored = [freezing.counts_of(world.statistics[quarter]) for quarter in quarters]
    year = Period.year(YEAR)
    row = FrozenFigures(threshold=5, counts=freezing.year_counts(stored, volumes=[]), frozen_at=timezone.now())
    made = freezing._statistics(Partnership(small_count_threshold=5), year, row)
    live = world.statistics[year]
    made.trend_labels, made.trend_new, made.trend_closed = live.trend_labels, live.trend_new, live.trend_closed
    world.statistics[year] = made
    return world


@pytest.mark.parametrize("seed", SEEDS)
def test_a_year_made_from_its_frozen_quarters_is_the_year_counted_and_passes_the_audit(seed):
    world, made = World(seed), frozen_world(seed)
    year = Period.year(YEAR)
    counted, frozen = world.statistics[year], made.statistics[year]
    for name in ("new", "closed", "open_at_end", "statutory_alerts", "measures_agreed", "answer_on_time"):
        assert getattr(frozen, name) == getattr(counted, name)
    assert Counter({row.label: row.count for row in frozen.by_category}) == Counter(
        {row.label: row.count for row in counted.by_category}
    )
    assert frozen.matrix == counted.matrix
    intervals, system = audit(published(made), made)
    assert system.hidden
    assert narrow(intervals, 5) == {}
