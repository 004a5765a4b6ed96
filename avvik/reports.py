"""The council's quarterly report: the statistics as HTML, then as a PDF made by WeasyPrint.

The report leaves the partnership, so it shows the numbers as the council sees them
(avvik.disclosure): every count from 1 to 4 reads "<5", and a count that would let one of those be
worked out from a total reads "hidden", in the tables and the charts alike. WeasyPrint fetches
nothing but our own static files: the fetcher below refuses every other address, so data in a case
can never make the renderer read a local file or call another host.
"""

import mimetypes
import posixpath
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from avvik.charts import bar_chart, hidden_text, line_chart, matrix_chart
from avvik.disclosure import SUPPRESSED, Count, Figures, MatrixRow, figures_for
from avvik.statistics import SMALL_COUNT, Share, Statistics

TEMPLATE = "reports/council_report.html"


@dataclass(frozen=True)
class CaseSummary:
    """An anonymised short summary of one case that a coordinator approved for the council."""

    category: str
    consequence: str
    text: str


@dataclass(frozen=True)
class Compliance:
    """A share of cases on time; shown only when neither the on-time nor the late count is from 1 to 4."""

    percent: float | None
    total: Count

    @property
    def shown(self) -> bool:
        return self.percent is not None


def compliance(share: Share) -> Compliance:
    if share.total >= SMALL_COUNT and share.safe_for_council:
        return Compliance(share.percent, Count.of(share.total))
    return Compliance(None, Count.of(share.total))


def report_context(stats: Statistics, *, summaries: list[CaseSummary], generated_at: datetime) -> dict:
    """Everything the template shows, from the council's figures, so every count and chart is protected."""
    figures = figures_for(stats, exact=False)
    by_category, by_consequence, top_clauses = figures.by_category, figures.by_consequence, figures.by_clause
    trend = figures.trend
    matrix = _matrix(figures)
    answered = stats.answer_on_time.total
    handling_shown = answered >= SMALL_COUNT and stats.handling_median is not None

    charts = {
        "category": bar_chart(
            id="chart-category",
            title=_("New deviations by category"),
            labels=[line.label for line in by_category],
            values=[line.count.plotted for line in by_category],
        ),
        "consequence": bar_chart(
            id="chart-consequence",
            title=_("New deviations by consequence"),
            labels=[line.label for line in by_consequence],
            values=[line.count.plotted for line in by_consequence],
        ),
        "clause": bar_chart(
            id="chart-clause",
            title=_("New deviations by agreement clause, the ten most frequent"),
            labels=[line.label for line in top_clauses],
            values=[line.count.plotted for line in top_clauses],
        ),
        "trend": line_chart(
            id="chart-trend",
            title=_("New and closed deviations over eight quarters"),
            labels=[point.label for point in trend],
            series={
                _("New"): [point.new.plotted for point in trend],
                _("Closed"): [point.closed.plotted for point in trend],
            },
        ),
        "matrix": matrix_chart(
            id="chart-matrix",
            title=_("New deviations from reporting to responsible organisation"),
            rows=matrix["rows"],
            columns=matrix["columns"],
            values=[[count.plotted for count in row.counts] for row in matrix["cells"]],
        ),
    }

    return {
        "partnership": stats.partnership.name,
        "organisation": stats.organisation.name if stats.organisation else "",
        "period": stats.period,
        "generated_at": generated_at,
        "new": figures.new,
        "closed": figures.closed,
        "open_at_end": figures.open_at_end,
        "triage_on_time": compliance(stats.triage_on_time),
        "answer_on_time": compliance(stats.answer_on_time),
        "handling_shown": handling_shown,
        "handling_median": stats.handling_median if handling_shown else None,
        "handling_p90": stats.handling_p90 if handling_shown else None,
        "answered": Count.of(answered),
        "statutory_alerts": figures.statutory_alerts,
        "statutory_alerts_sent": figures.statutory_alerts_sent,
        "measures_agreed": figures.measures_agreed,
        "measures_done": figures.measures_done,
        "by_category": by_category,
        "by_consequence": by_consequence,
        "top_clauses": top_clauses,
        "other_clauses": figures.other_clauses,
        "other_clauses_total": figures.other_clauses_total,
        "backlog": figures.backlog,
        "trend": trend,
        "matrix": matrix,
        "charts": charts,
        "summaries": list(summaries),
        "suppressed": SUPPRESSED,
        "hidden": hidden_text(),
    }


def _matrix(figures: Figures) -> dict:
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


def render_report_html(
    stats: Statistics, *, summaries: list[CaseSummary], generated_at: datetime, language: str
) -> str:
    """The report as HTML in bokmål ("nb") or nynorsk ("nn"); chart texts follow the same language."""
    with translation.override(language):
        context = report_context(stats, summaries=summaries, generated_at=generated_at)
        return render_to_string(TEMPLATE, context)


def render_report_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=StaticOnlyFetcher()).write_pdf(pdf_tags=True)


def static_only_fetcher(url: str, timeout=10, ssl_context=None) -> dict:
    """Serve one of our own static files, read from disk, or raise ValueError.

    Accepted: a URL on the site's own origin (or a relative one) whose path lies under STATIC_URL and
    names a file the staticfiles finders (or, after collectstatic, the static storage) know. Nothing
    is ever requested over the network, so there is no redirect to follow. Refused: every other
    scheme (file:, data:, ftp:, …), every other host, user names in URLs, ".." and backslashes.
    The signature and the returned dict follow WeasyPrint's classic URL fetcher contract.
    """
    absolute = urljoin(settings.SITE_URL + "/", url)
    name = _static_name(url, absolute)
    try:
        path = finders.find(name)
        if not path and _collected(name):
            path = staticfiles_storage.path(name)
    except SuspiciousFileOperation as error:  # a name the finders or the storage would not join
        raise ValueError(f"Refused: {url}") from error
    if not path:
        raise ValueError(f"Not one of our static files: {url}")
    with open(path, "rb") as file:
        content = file.read()
    mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return {"string": content, "mime_type": mime_type, "redirected_url": absolute}


def _static_name(url: str, absolute: str) -> str:
    """The static file's name relative to STATIC_URL, or ValueError."""
    if any(character in url for character in "\\\x00") or any(ord(character) < 32 for character in url):
        raise ValueError(f"Refused: unexpected characters in {url!r}")
    static = urlsplit(urljoin(settings.SITE_URL + "/", settings.STATIC_URL))
    parts = urlsplit(absolute)
    if parts.scheme.lower() not in ("http", "https") or _origin(parts) != _origin(static):
        raise ValueError(f"Refused: not our own site: {url}")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"Refused: credentials in {url}")
    # The raw path too: urljoin() has already resolved ".." in a relative URL, and must not hide it.
    for candidate in (urlsplit(url).path, parts.path):
        decoded = unquote(candidate)
        if any(segment in ("..", ".") for segment in decoded.split("/")) or "\\" in decoded:
            raise ValueError(f"Refused: path traversal in {url}")
    path = unquote(parts.path)
    if not path.startswith(static.path):
        raise ValueError(f"Refused: not under {static.path}: {url}")
    name = path[len(static.path) :]
    normalised = posixpath.normpath(name) if name else ""
    if not name or normalised != name or normalised.startswith(("/", "..")):
        raise ValueError(f"Refused: not a plain static file name: {url}")
    return normalised


def _origin(parts) -> tuple[str, str | None, int | None]:
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), parts.hostname, parts.port or default


def _collected(name: str) -> bool:
    """Whether collectstatic put `name` (hashed names included) into the static storage on disk."""
    try:
        return bool(staticfiles_storage.path(name)) and staticfiles_storage.exists(name)
    except (NotImplementedError, ValueError):  # storage elsewhere, or a name outside its folder
        return False


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint 70 takes a URLFetcher instance, not a function: this one answers from static_only_fetcher()."""

    def __init__(self):
        # No protocol and no redirects for the inherited opener, should anything ever reach it.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        found = static_only_fetcher(url)
        return URLFetcherResponse(found["redirected_url"], found["string"], {"Content-Type": found["mime_type"]})
