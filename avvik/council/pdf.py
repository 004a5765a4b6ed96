"""The council's report as a PDF made by WeasyPrint, which fetches nothing but our own static files."""

import mimetypes
import posixpath
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from avvik.council.counting import Statistics
from avvik.council.disclosure import Figures, figures_for
from avvik.council.follow_up import follow_up_chapters
from avvik.council.hotspots import hotspot_chapters
from avvik.council.presentation import CaseSummary, report_context

TEMPLATE = "council/report_pdf.html"


def render_report_html(
    stats: Statistics,
    *,
    summaries: list[CaseSummary],
    generated_at: datetime,
    language: str,
    figures: Figures | None = None,
) -> str:
    """The report as HTML in bokmål ("nb") or nynorsk ("nn"); chart texts follow the same language.
    `figures` are the council's figures of the period (disclosure.council_figures)."""
    with translation.override(language):
        if figures is None:
            figures = figures_for(stats, exact=False)
        extra = [
            *hotspot_chapters(stats, threshold=figures.threshold, exact=figures.exact),
            *follow_up_chapters(stats, threshold=figures.threshold, exact=figures.exact),
        ]
        context = report_context(stats, summaries=summaries, generated_at=generated_at, figures=figures, extra=extra)
        return render_to_string(TEMPLATE, context)


def render_report_pdf(html: str, *, variant: str | None = None) -> bytes:
    """`variant` names a WeasyPrint PDF variant for archive copies ("pdf/a-3b", "pdf/ua-1")."""
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=fetcher)
    return document.write_pdf(pdf_tags=True, pdf_variant=variant)


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
