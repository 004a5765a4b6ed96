"""The council's report as chapters: built once from the protected figures for the page and the PDF."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from avvik.catalogue.models import AgreementClause, Category
from avvik.council.charts import bar_chart, line_chart, matrix_chart
from avvik.council.counting import Statistics
from avvik.council.disclosure import (
    MIN_PERCENTILE_CASES,
    TOP_CLAUSES,
    Compliance,
    Count,
    Figures,
    Line,
    MatrixRow,
    figures_for,
)
from avvik.council.joint import Key, Relation, protect
from avvik.council.models import ThresholdDecision
from avvik.council.periods import Period
from avvik.council.suppression import drawn_with, hidden_text, suppressed_mark
from avvik.tenancy.models import Partnership


@dataclass(frozen=True)
class CaseSummary:
    """An anonymised short summary of one case that a coordinator approved for the council."""

    category: str
    consequence: str
    text: str


@dataclass(frozen=True)
class Chapter:
    """One chapter's chart with its title: the page and the PDF show the same one."""

    title: str
    chart: str  # SVG markup, drawn by avvik.council.charts from protected figures
    heading: str = ""  # the table's label column
    lines: tuple[Line, ...] = ()  # the table beside the chart, the same counts as the chart
    counted: str = ""  # what the table's counts are of; empty: new deviations


@dataclass(frozen=True)
class KeyFigure:
    """One line of the summary: its label and its text, the same on the page and in the PDF."""

    label: str
    text: str


def in_reader_language(figures: Figures, partnership_id: int | None) -> Figures:
    """The figures with category and clause names in the active language.

    Counts are kept and protected under the names' source text (bokmål), the same for every reader
    and in frozen figures; only the lines' labels change here."""
    if partnership_id is None:  # figures made up without a stored partnership have no catalogue to name
        return figures
    names = {
        category.name: category.display_name for category in Category.objects.filter(partnership_id=partnership_id)
    }
    names.update(
        {clause.source_label: str(clause) for clause in AgreementClause.objects.filter(partnership_id=partnership_id)}
    )

    def named(lines: list[Line]) -> list[Line]:
        return [replace(line, label=names.get(line.label, line.label)) for line in lines]

    return replace(figures, by_category=named(figures.by_category), by_clause=named(figures.by_clause))


def chapters(figures: Figures) -> dict[str, Chapter]:
    """The report's charts, built once for the statistics page and the PDF, from the same figures
    (protected for the council, exact for coordinators), with the same titles."""
    with drawn_with(figures.threshold):
        return _chapters(figures)


def _chapters(figures: Figures) -> dict[str, Chapter]:
    trend, matrix, top_clauses = figures.trend, matrix_table(figures), figures.by_clause[:TOP_CLAUSES]
    titles = {
        "trend": _("New and closed deviations over eight quarters"),
        "category": _("New deviations by category"),
        "consequence": _("New deviations by consequence"),
        "clause": _("New deviations by agreement clause, the ten most frequent"),
        "matrix": _("New deviations from reporting to responsible organisation"),
    }
    charts = {
        "trend": line_chart(
            id="chart-trend",
            title=titles["trend"],
            labels=[point.label for point in trend],
            series={
                _("New"): [point.new.plotted for point in trend],
                _("Closed"): [point.closed.plotted for point in trend],
            },
        ),
        "category": _bars("category", titles["category"], figures.by_category),
        "consequence": _bars("consequence", titles["consequence"], figures.by_consequence),
        "clause": _bars("clause", titles["clause"], top_clauses),
        "matrix": matrix_chart(
            id="chart-matrix",
            title=titles["matrix"],
            rows=matrix["rows"],
            columns=matrix["columns"],
            values=[[count.plotted for count in row.counts] for row in matrix["cells"]],
        ),
    }
    headings = {"category": _("Category"), "consequence": _("Consequence"), "clause": _("Agreement clause")}
    lines = {
        "category": figures.by_category,
        "consequence": figures.by_consequence,
        "clause": figures.clause_lines,
    }
    return {
        key: Chapter(titles[key], chart, headings.get(key, ""), tuple(lines.get(key, ())))
        for key, chart in charts.items()
    }


def _bars(key: str, title: str, lines: list[Line]) -> str:
    return bar_chart(
        id=f"chart-{key}",
        title=title,
        labels=[line.label for line in lines],
        values=[line.count.plotted for line in lines],
    )


def report_title(partnership: Partnership, period: Period) -> str:
    """ "Rapport til SSU, 4. kvartal 2026": the council by its own name, in the page and PDF titles."""
    return _("Report to %(council)s, %(period)s") % {"council": partnership.council_title, "period": period.label}


def _number(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=None if value == int(value) else 1)


def compliance_text(compliance: Compliance) -> str:
    if compliance.total.value == 0:
        return _("No cases")
    if not compliance.shown:
        # "skjult saker" reads badly; a hidden total stands alone.
        total = compliance.total
        return str(total) if total.withheld else _("%(shown)s cases") % {"shown": total}
    percent = number_format(round(compliance.percent or 0, 1), decimal_pos=1)
    return f"{percent}\xa0% " + _("of %(total)s cases") % {"total": compliance.total}


def key_figures(figures: Figures) -> list[KeyFigure]:
    """The summary's figures as text, made here once so the page and the PDF cannot word them apart."""

    def handling(value: float | None) -> str:
        if figures.handling_shown and value is not None:
            return _number(value)
        if figures.answered.value == 0:
            return _("No cases")
        return _("too few cases (%(shown)s)") % {"shown": figures.answered}

    return [
        KeyFigure(_("New deviations"), str(figures.new)),
        KeyFigure(_("Closed deviations"), str(figures.closed)),
        KeyFigure(_("Open at the end of the period"), str(figures.open_at_end)),
        KeyFigure(_("Routed within the deadline"), compliance_text(figures.triage_on_time)),
        KeyFigure(_("Answered within the deadline"), compliance_text(figures.answer_on_time)),
        KeyFigure(_("Handling time, median (working days)"), handling(figures.handling_median)),
        KeyFigure(_("Handling time, 90th percentile (working days)"), handling(figures.handling_p90)),
        KeyFigure(_("Serious unexpected events (statutory alert due)"), str(figures.statutory_alerts)),
        KeyFigure(_("Statutory alerts sent"), str(figures.statutory_alerts_sent)),
        KeyFigure(_("Answers with measures agreed"), str(figures.measures_agreed)),
        KeyFigure(_("Answers with measures carried out"), str(figures.measures_done)),
    ]


def protected_chapter(
    key: str,
    title: str,
    counts: Mapping[str, int],
    *,
    threshold: int,
    heading: str = "",
    counted: str = "",
    total_label: str | None = None,
    exact: bool = False,
) -> Chapter:
    """A chapter from plain counts, protected on its own: the step for adding a chapter whose counts
    come from another selector (measures, alerts, privacy breaches), see docs/disclosure.md.

    `counts` are disjoint parts of one total, label → count, in the order shown (each case in one
    part only: nested counts such as "carried out" within "agreed" are two chapters). With
    `total_label` the total is shown as the last line and is a cell of the sum; without it the total
    is published nowhere. For coordinators (`exact`) nothing is hidden."""
    total_key: Key = (key, "total")
    values: dict[Key, int] = {(key, label): count for label, count in counts.items()}
    values[total_key] = sum(counts.values())
    hidden = (
        {}
        if exact
        else protect(
            values,
            [Relation(total_key, tuple(part for part in values if part != total_key))],
            threshold=threshold,
            unpublished=() if total_label else (total_key,),
        )
    )
    lines = [Line(label, Count.hiding(count, hidden.get((key, label)), threshold)) for label, count in counts.items()]
    if total_label:
        lines.append(Line(total_label, Count.hiding(values[total_key], hidden.get(total_key), threshold)))
    with drawn_with(threshold):
        return Chapter(title, _bars(key, title, lines), heading, tuple(lines), counted)


def threshold_decision(partnership: Partnership, figures: Figures) -> ThresholdDecision | None:
    """The decision that set the threshold the figures were protected with: the latest one to that
    value recorded before the figures were frozen; None for the default threshold never changed."""
    if partnership.pk is None:
        return None
    decisions = ThresholdDecision.objects.filter(partnership=partnership, new_threshold=figures.threshold)
    if figures.frozen_at is not None:
        decisions = decisions.filter(recorded_at__lte=figures.frozen_at)
    return decisions.order_by("-recorded_at", "-pk").first()


def report_content(
    figures: Figures, *, partnership: Partnership, period: Period, extra: Sequence[Chapter] = ()
) -> dict[str, Any]:
    """The report's content for one reader and period: the title, the summary, the chapters with their
    charts and tables. The statistics page and the PDF both render exactly this; `extra` chapters
    (from protected_chapter) follow the others on both."""
    built = chapters(figures)
    return {
        "threshold_decision": threshold_decision(partnership, figures),
        "extra_chapters": list(extra),
        "title": report_title(partnership, period),
        "key_figures": key_figures(figures),
        "chapters": built,
        "charts": {key: chapter.chart for key, chapter in built.items()},
        "matrix": matrix_table(figures),
        "trend": figures.trend,
        "backlog": figures.backlog,
        "threshold": figures.threshold,
        "frozen_at": figures.frozen_at,
    }


def report_context(
    stats: Statistics,
    *,
    summaries: list[CaseSummary],
    generated_at: datetime,
    figures: Figures | None = None,
    extra: Sequence[Chapter] = (),
) -> dict[str, Any]:
    """Everything the template shows, from the council's figures, so every count and chart is protected.

    `figures` are the council's figures for the period (disclosure.council_figures); without them the
    period is protected on its own."""
    if figures is None:
        figures = figures_for(stats, exact=False)
    figures = in_reader_language(figures, stats.partnership.pk)
    content = report_content(figures, partnership=stats.partnership, period=stats.period, extra=extra)
    built = content["chapters"]
    return {
        "content": content,
        "title": content["title"],
        "council": stats.partnership.council_title,
        "partnership": stats.partnership.name,
        "organisation": stats.organisation.name if stats.organisation else "",
        "period": stats.period,
        "generated_at": generated_at,
        "frozen_at": figures.frozen_at,
        "threshold": figures.threshold,
        "cases": MIN_PERCENTILE_CASES,
        "new": figures.new,
        "closed": figures.closed,
        "open_at_end": figures.open_at_end,
        "triage_on_time": figures.triage_on_time,
        "answer_on_time": figures.answer_on_time,
        "handling_shown": figures.handling_shown,
        "handling_median": figures.handling_median,
        "handling_p90": figures.handling_p90,
        "answered": figures.answered,
        "statutory_alerts": figures.statutory_alerts,
        "statutory_alerts_sent": figures.statutory_alerts_sent,
        "measures_agreed": figures.measures_agreed,
        "measures_done": figures.measures_done,
        "by_category": figures.by_category,
        "by_consequence": figures.by_consequence,
        "top_clauses": figures.by_clause,
        "other_clauses": figures.other_clauses,
        "other_clauses_total": figures.other_clauses_total,
        "backlog": figures.backlog,
        "trend": figures.trend,
        "matrix": matrix_table(figures),
        "chapters": built,
        "charts": {key: chapter.chart for key, chapter in built.items()},
        "summaries": list(summaries),
        "suppressed": suppressed_mark(figures.threshold),
        "hidden": hidden_text(),
    }


def matrix_table(figures: Figures) -> dict[str, Any]:
    """Reporting (rows) → responsible (columns), leaving out organisations with no cases either way.

    Only visible zeros decide what is left out: dropping a line around a hidden cell would tell that it was 0.
    """
    matrix = figures.matrix
    rows = [row for row in matrix if any(count.value != 0 for count in row.counts)]
    columns = [
        index for index in range(len(figures.matrix_columns)) if any(row.counts[index].value != 0 for row in matrix)
    ]
    return {
        "rows": [row.label for row in rows],
        "columns": [figures.matrix_columns[index] for index in columns],
        "cells": [MatrixRow(row.label, [row.counts[index] for index in columns]) for row in rows],
    }
