"""The council's report as chapters: built once from the protected figures for the page and the PDF."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from avvik.catalogue.models import AgreementClause, Category
from avvik.council.charts import bar_chart, line_chart, matrix_chart
from avvik.council.counting import Statistics
from avvik.council.disclosure import MIN_PERCENTILE_CASES, TOP_CLAUSES, Figures, Line, MatrixRow, figures_for
from avvik.council.suppression import drawn_with, hidden_text, suppressed_mark


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
    return {key: Chapter(titles[key], chart) for key, chart in charts.items()}


def _bars(key: str, title: str, lines: list[Line]) -> str:
    return bar_chart(
        id=f"chart-{key}",
        title=title,
        labels=[line.label for line in lines],
        values=[line.count.plotted for line in lines],
    )


def report_context(
    stats: Statistics, *, summaries: list[CaseSummary], generated_at: datetime, figures: Figures | None = None
) -> dict[str, Any]:
    """Everything the template shows, from the council's figures, so every count and chart is protected.

    `figures` are the council's figures for the period (disclosure.council_figures); without them the
    period is protected on its own."""
    if figures is None:
        figures = figures_for(stats, exact=False)
    figures = in_reader_language(figures, stats.partnership.pk)
    built = chapters(figures)
    return {
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
