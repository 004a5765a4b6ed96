"""The council's quarterly report: the statistics as HTML, then as a PDF made by WeasyPrint.

Every count from 1 to 4 is suppressed to "<5" before it reaches the template or a chart, because
the report leaves the partnership. WeasyPrint fetches nothing but our own static files: the fetcher
below refuses every other address, so data in a case can never make the renderer read a local file
or call another host.
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

from avvik.charts import bar_chart, line_chart, matrix_chart
from avvik.statistics import SMALL_COUNT, Row, Share, Statistics, suppress

TEMPLATE = "reports/council_report.html"
TOP_CLAUSES = 10
SUPPRESSED = "<5"


@dataclass(frozen=True)
class CaseSummary:
    """An anonymised short summary of one case that a coordinator approved for the council."""

    category: str
    consequence: str
    text: str


@dataclass(frozen=True)
class Count:
    """A count as the council sees it: None stands for a count from 1 to 4 and reads "<5"."""

    value: int | None

    @classmethod
    def of(cls, count: int) -> "Count":
        return cls(suppress(count))

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return SUPPRESSED if self.value is None else str(self.value)


@dataclass(frozen=True)
class Line:
    label: str
    count: Count


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


def lines(rows: list[Row]) -> list[Line]:
    return [Line(row.label, Count.of(row.count)) for row in rows]


def report_context(stats: Statistics, *, summaries: list[CaseSummary], generated_at: datetime) -> dict:
    """Everything the template shows, with suppression applied to every count and every chart."""
    by_category = lines(stats.by_category)
    by_consequence = lines(stats.by_consequence)
    top_clauses = lines(stats.by_clause[:TOP_CLAUSES])
    other_clauses = stats.by_clause[TOP_CLAUSES:]
    backlog = lines(stats.backlog_by_age)
    trend = [
        {"label": label, "new": Count.of(new), "closed": Count.of(closed)}
        for label, new, closed in zip(stats.trend_labels, stats.trend_new, stats.trend_closed, strict=True)
    ]
    matrix = _matrix(stats)
    answered = stats.answer_on_time.total
    handling_shown = answered >= SMALL_COUNT and stats.handling_median is not None

    charts = {
        "category": bar_chart(
            id="chart-category",
            title=_("New deviations by category"),
            labels=[line.label for line in by_category],
            values=[line.count.value for line in by_category],
        ),
        "consequence": bar_chart(
            id="chart-consequence",
            title=_("New deviations by consequence"),
            labels=[line.label for line in by_consequence],
            values=[line.count.value for line in by_consequence],
        ),
        "clause": bar_chart(
            id="chart-clause",
            title=_("New deviations by agreement clause, the ten most frequent"),
            labels=[line.label for line in top_clauses],
            values=[line.count.value for line in top_clauses],
        ),
        "trend": line_chart(
            id="chart-trend",
            title=_("New and closed deviations over eight quarters"),
            labels=[point["label"] for point in trend],
            series={
                _("New"): [point["new"].value for point in trend],
                _("Closed"): [point["closed"].value for point in trend],
            },
        ),
        "matrix": matrix_chart(
            id="chart-matrix",
            title=_("New deviations from reporting to responsible organisation"),
            rows=matrix["rows"],
            columns=matrix["columns"],
            values=[[count.value for count in row["counts"]] for row in matrix["cells"]],
        ),
    }

    return {
        "partnership": stats.partnership.name,
        "organisation": stats.organisation.name if stats.organisation else "",
        "period": stats.period,
        "generated_at": generated_at,
        "new": Count.of(stats.new),
        "closed": Count.of(stats.closed),
        "open_at_end": Count.of(stats.open_at_end),
        "triage_on_time": compliance(stats.triage_on_time),
        "answer_on_time": compliance(stats.answer_on_time),
        "handling_shown": handling_shown,
        "handling_median": stats.handling_median if handling_shown else None,
        "handling_p90": stats.handling_p90 if handling_shown else None,
        "answered": Count.of(answered),
        "statutory_alerts": Count.of(stats.statutory_alerts),
        "statutory_alerts_sent": Count.of(stats.statutory_alerts_sent),
        "measures_agreed": Count.of(stats.measures_agreed),
        "measures_done": Count.of(stats.measures_done),
        "by_category": by_category,
        "by_consequence": by_consequence,
        "top_clauses": top_clauses,
        "other_clauses": len(other_clauses),
        "other_clauses_total": Count.of(sum(row.count for row in other_clauses)),
        "backlog": backlog,
        "trend": trend,
        "matrix": matrix,
        "charts": charts,
        "summaries": list(summaries),
        "suppressed": SUPPRESSED,
    }


def _matrix(stats: Statistics) -> dict:
    """Reporting (rows) → responsible (columns), leaving out organisations with no cases either way."""
    rows = [index for index, counts in enumerate(stats.matrix) if any(counts)]
    columns = [index for index in range(len(stats.matrix_columns)) if any(counts[index] for counts in stats.matrix)]
    return {
        "rows": [stats.matrix_rows[index] for index in rows],
        "columns": [stats.matrix_columns[index] for index in columns],
        "cells": [
            {
                "label": stats.matrix_rows[row],
                "counts": [Count.of(stats.matrix[row][column]) for column in columns],
            }
            for row in rows
        ],
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
