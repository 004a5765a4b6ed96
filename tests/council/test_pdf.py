"""The council's PDF report: suppressed numbers, a fetcher that serves only our static files, no stored XSS."""

import re
import subprocess
import threading
import urllib.request
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from avvik.cases.choices import Status
from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import Category
from avvik.council import charts
from avvik.council import pdf as reports
from avvik.council.counting import Row, Share, Statistics, statistics_for
from avvik.council.disclosure import Count, figures_for
from avvik.council.pdf import render_report_html, render_report_pdf, static_only_fetcher
from avvik.council.periods import Period
from avvik.council.presentation import CaseSummary, report_context
from avvik.council.suppression import suppress
from avvik.tenancy.models import Partnership
from tests.builders import drive, file_case
from tests.processes import require

REPORT_CSS = Path(django_settings.BASE_DIR) / "static" / "css" / "report.css"
SITE = "http://127.0.0.1:8000"
XSS = "<script>alert(1)</script>"
GENERATED = datetime(2026, 10, 5, 9, 30, tzinfo=timezone.get_fixed_timezone(0))


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text with its layout kept, so a label and its number stay on one line."""
    require("pdftotext", "apt-get install poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def shown(count: int) -> str:
    """How the council sees a count."""
    return str(Count.of(count))


def values_beside(text: str, label: str) -> list[str]:
    """The one cell to the right of `label` on every line that starts with it (columns: 2+ spaces apart)."""
    pattern = re.compile(rf"^\s*{re.escape(label)}\s{{2,}}(\S+(?: \S+)*)\s*$", re.MULTILINE)
    return pattern.findall(text)


def assert_shown_beside(text: str, label: str, expected: str) -> None:
    found = values_beside(text, label)
    assert found, f"{label!r} not found in the PDF"
    assert set(found) == {expected}, f"{label!r}: {found} in the PDF, {expected!r} expected"


@pytest.fixture
def cases(world, reporter, coordinator, handler):
    """Six new cases: five in one category, one in another; two of them closed."""
    first, second = Category.objects.filter(partnership=world.partnership).order_by("position")[:2]
    filed = [file_case(reporter, world.municipality, category=first) for _ in range(5)]
    filed.append(file_case(reporter, world.municipality, category=second, consequence=Consequence.SIGNIFICANT))
    for deviation in filed[:2]:
        drive(deviation, Status.CLOSED, coordinator=coordinator, handler=handler, reporter=reporter)
    return filed


def gettext_nb(message: str) -> str:
    with translation.override("nb"):
        return gettext(message)


def text_nb(count: Count) -> str:
    with translation.override("nb"):
        return str(count)


def this_quarter() -> Period:
    return Period.containing(timezone.localdate())


# Suppression, without the database


def statistics(**numbers) -> Statistics:
    return Statistics(
        partnership=Partnership(name="Helsefellesskap Test"), period=this_quarter(), organisation=None, **numbers
    )


def test_counts_from_one_to_four_reach_the_template_as_less_than_five_and_others_unchanged():
    context = report_context(
        statistics(new=4, closed=5, open_at_end=0, statutory_alerts=1, measures_agreed=12),
        summaries=[],
        generated_at=GENERATED,
    )
    keys = ("new", "closed", "open_at_end", "statutory_alerts", "measures_agreed")
    assert {key: str(context[key]) for key in keys} == {
        "new": "<5",
        "closed": "5",
        "open_at_end": "0",
        "statutory_alerts": "<5",
        "measures_agreed": "12",
    }


def test_deadline_compliance_shows_a_percentage_only_when_no_small_count_can_be_read_from_it():
    context = report_context(
        statistics(triage_on_time=Share(3, 4), answer_on_time=Share(10, 15), handling_median=3.5, handling_p90=8),
        summaries=[],
        generated_at=GENERATED,
    )
    assert context["triage_on_time"].percent is None
    assert str(context["triage_on_time"].total) == "<5"
    assert context["answer_on_time"].percent == 66.7
    hidden = report_context(statistics(answer_on_time=Share(4, 5)), summaries=[], generated_at=GENERATED)
    assert hidden["answer_on_time"].percent is None  # 4 of 5 would reveal one late case
    assert context["handling_shown"] and context["handling_median"] == 3.5

    html = render_report_html(
        statistics(triage_on_time=Share(3, 4), answer_on_time=Share(10, 15)),
        summaries=[],
        generated_at=GENERATED,
        language="nb",
    )
    assert "66,7\xa0%" in html
    with translation.override("nb"):
        assert gettext("%(shown)s cases") % {"shown": "&lt;5"} in html


def test_handling_time_is_hidden_when_fewer_than_five_cases_were_answered():
    context = report_context(
        statistics(answer_on_time=Share(2, 2), handling_median=4, handling_p90=6), summaries=[], generated_at=GENERATED
    )
    assert not context["handling_shown"]
    assert context["handling_median"] is None and context["handling_p90"] is None


def test_charts_are_drawn_from_suppressed_values():
    context = report_context(
        statistics(
            by_category=[Row("Laboratoriesvar", 3), Row("Røntgensvar", 17)],
            trend_labels=["2026 K1", "2026 K2"],
            trend_new=[2, 9],
            trend_closed=[0, 4],
        ),
        summaries=[],
        generated_at=GENERATED,
    )
    category_chart = context["charts"]["category"]
    assert "Laboratoriesvar: &lt;5" in category_chart
    assert "Laboratoriesvar: 3" not in category_chart
    # 17 is the total minus the small one, so it is hidden too, and not as "<5".
    assert f"Røntgensvar: {charts.hidden_text()}" in category_chart
    assert ">17<" not in category_chart and ": 17" not in category_chart
    assert "&lt;5" in context["charts"]["trend"]


def test_the_clause_chart_and_table_hold_the_ten_most_frequent_clauses_and_count_the_rest():
    clauses = [Row(f"6.{n} Punkt", 20 - n) for n in range(12)]
    context = report_context(statistics(by_clause=clauses), summaries=[], generated_at=GENERATED)
    assert [line.label for line in context["top_clauses"]] == [row.label for row in clauses[:10]]
    assert context["other_clauses"] == 2
    assert str(context["other_clauses_total"]) == str(suppress(9 + 10))


def test_the_matrix_leaves_out_organisations_without_cases_and_suppresses_small_pairs():
    context = report_context(
        statistics(
            matrix_rows=["A kommune", "B sykehus", "C kommune"],
            matrix_columns=["A kommune", "B sykehus", "C kommune"],
            matrix=[[0, 7, 0], [2, 0, 0], [0, 0, 0]],
            new=9,
            by_reporting_organisation=[Row("A kommune", 7), Row("B sykehus", 2)],
        ),
        summaries=[],
        generated_at=GENERATED,
    )
    matrix = context["matrix"]
    assert matrix["rows"] == ["A kommune", "B sykehus"]
    assert matrix["columns"] == ["A kommune", "B sykehus"]
    with translation.override("en"):
        # B's 2 is small; A's row holds only the 7, hidden too, or B's count would follow from the total of 9.
        assert [[str(count) for count in row.counts] for row in matrix["cells"]] == [["0", "hidden"], ["<5", "0"]]


# The PDF


@pytest.mark.django_db
def test_the_pdf_shows_partnership_period_and_the_suppressed_numbers_of_the_statistics(world, cases, tmp_path):
    period = this_quarter()
    with translation.override("nb"):
        stats = statistics_for(world.partnership, period)
    html = render_report_html(stats, summaries=[], generated_at=GENERATED, language="nb")
    pdf = render_report_pdf(html)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)

    assert "Helsefellesskap Test" in text
    assert period.label in text
    assert stats.new == 6
    assert "<5" in text
    assert "side 1 av" in text.lower()

    with translation.override("nb"):
        figures = {
            gettext("New deviations"): shown(stats.new),
            gettext("Closed deviations"): shown(stats.closed),
            gettext("Open at the end of the period"): shown(stats.open_at_end),
            gettext("Serious unexpected events (statutory alert due)"): shown(stats.statutory_alerts),
            gettext("Statutory alerts sent"): shown(stats.statutory_alerts_sent),
            gettext("Answers with measures agreed"): shown(stats.measures_agreed),
            gettext("Answers with measures carried out"): shown(stats.measures_done),
        }
        few = gettext("%(shown)s cases") % {"shown": "<5"}
    for label, expected in figures.items():
        assert_shown_beside(text, label, expected)
    assert stats.triage_on_time.total < 5 and stats.answer_on_time.total < 5
    assert values_beside(text, gettext_nb("Routed within the deadline")) == [few]
    assert values_beside(text, gettext_nb("Answered within the deadline")) == [few]
    # The breakdowns as the council sees them: small counts and the counts that would give them away hidden.
    with translation.override("nb"):
        figures = figures_for(stats, exact=False)
    for line in figures.by_category + figures.by_consequence + figures.backlog:
        if line.count.value != 0 or values_beside(text, line.label):
            assert_shown_beside(text, line.label, text_nb(line.count))
    trend_rows = [re.split(r"\s{2,}", line.strip()) for line in text.splitlines()]
    for label, new, closed in zip(stats.trend_labels, stats.trend_new, stats.trend_closed, strict=True):
        assert [label, shown(new), shown(closed)] in trend_rows


@pytest.mark.django_db
def test_the_pdf_hides_the_count_that_would_give_a_small_one_away_and_says_why(world, reporter, cases, tmp_path):
    first, second = Category.objects.filter(partnership=world.partnership).order_by("position")[:2]
    for _ in range(2):
        file_case(reporter, world.municipality, category=second)
    stats = statistics_for(world.partnership, this_quarter())
    html = render_report_html(stats, summaries=[], generated_at=GENERATED, language="nb")
    text = pdf_text(render_report_pdf(html), tmp_path)
    hidden = gettext_nb("hidden")
    # Eight new deviations, five and three: "<5" beside a visible 5 would be 8 - 5 = 3.
    assert_shown_beside(text, second.name, "<5")
    assert_shown_beside(text, first.name, hidden)
    assert f"“{hidden}”" in text or f"«{hidden}»" in text  # the cover and the notes explain the mark


def test_a_breakdown_that_would_give_a_small_count_away_whatever_is_hidden_is_withheld_whole():
    # Five and one out of six: "<5" and "hidden" would still leave 1 and 5 as the only answer.
    context = report_context(
        statistics(new=6, by_category=[Row("Epikrise", 5), Row("Henvisning", 1)]), summaries=[], generated_at=GENERATED
    )
    assert [line.count.withheld for line in context["by_category"]] == [True, True]
    assert "&lt;5" not in context["charts"]["category"]


@pytest.mark.django_db
def test_the_pdf_embeds_dejavu_sans_on_a4_pages(world, cases, tmp_path):
    require("pdffonts", "apt-get install poppler-utils")
    stats = statistics_for(world.partnership, this_quarter())
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report_pdf(render_report_html(stats, summaries=[], generated_at=GENERATED, language="nn")))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu-Sans" in fonts
    assert all(line.split()[-4] == "yes" for line in fonts.splitlines()[2:]), fonts  # the "emb" column
    assert "(A4)" in info


@pytest.mark.django_db
def test_the_html_is_in_the_language_asked_for(world):
    stats = statistics_for(world.partnership, this_quarter())
    html = render_report_html(stats, summaries=[], generated_at=GENERATED, language="nn")
    assert '<html lang="nn">' in html
    assert 'href="/static/css/report.css"' in html


# Stored XSS


@pytest.mark.django_db
def test_markup_in_a_category_and_a_summary_is_escaped_in_the_html_and_printed_as_text(world, reporter, tmp_path):
    category = Category.objects.create(partnership=world.partnership, name=XSS, position=99)
    file_case(reporter, world.municipality, category=category)
    stats = statistics_for(world.partnership, this_quarter())
    summaries = [CaseSummary(category=XSS, consequence="Moderat", text=f"Svar kom ikke fram. {XSS}")]

    html = render_report_html(stats, summaries=summaries, generated_at=GENERATED, language="nb")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    text = pdf_text(render_report_pdf(html), tmp_path)
    assert f"Svar kom ikke fram. {XSS}" in text
    assert text.count(XSS) >= 3  # the category table, the chart label and the summary


@pytest.mark.django_db
def test_only_the_given_summaries_are_printed(world, reporter):
    file_case(reporter, world.municipality, description="Pasienten Ola Nordmann fikk feil medisin.")
    stats = statistics_for(world.partnership, this_quarter())
    summary = CaseSummary(
        category="Epikriser, brev og notat", consequence="Mindre skade", text="Legemiddellisten manglet."
    )
    html = render_report_html(stats, summaries=[summary], generated_at=GENERATED, language="nb")
    assert "Legemiddellisten manglet." in html
    assert "Ola Nordmann" not in html


# The URL fetcher


def test_the_fetcher_serves_our_report_stylesheet_from_disk():
    for url in ("/static/css/report.css", f"{SITE}/static/css/report.css"):
        found = static_only_fetcher(url)
        assert found == {
            "string": REPORT_CSS.read_bytes(),
            "mime_type": "text/css",
            "redirected_url": f"{SITE}/static/css/report.css",
        }


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "http://example.com/x.png",
        "/static/../settings.py",
        "/static/css/../../samhandling/settings.py",
        "/static/%2e%2e/samhandling/settings.py",
        "/static/css/..%2f..%2fsamhandling/settings.py",
        "/static/css\\..\\..\\samhandling\\settings.py",
        "http://example.com/static/css/report.css",
        "//example.com/static/css/report.css",
        "https://127.0.0.1:8000/static/css/report.css",
        "http://127.0.0.1:8001/static/css/report.css",
        "http://user@127.0.0.1:8000/static/css/report.css",
        "http://127.0.0.1:8000@example.com/static/css/report.css",
        "data:text/css,body{color:red}",
        "ftp://127.0.0.1:8000/static/css/report.css",
        "/static/css/missing.css",
        "/static/",
        "/media/reports/2026/report.pdf",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(ValueError):
        static_only_fetcher(url)


class RedirectingServer:
    """A local web server that answers every request with a redirect, and counts the requests."""

    def __init__(self, target: str):
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_the_fetcher_follows_no_redirect_and_asks_no_server(settings):
    with RedirectingServer("file:///etc/passwd") as server:
        with pytest.raises(ValueError):
            static_only_fetcher(f"{server.origin}/redirect")
        with pytest.raises(ValueError):
            static_only_fetcher(f"{server.origin}/static/css/report.css")  # not our site
        settings.SITE_URL = server.origin  # even on our own origin, the file comes from disk
        with pytest.raises(ValueError):
            static_only_fetcher(f"{server.origin}/redirect")
        assert static_only_fetcher(f"{server.origin}/static/css/report.css")["string"] == REPORT_CSS.read_bytes()
        assert server.requests == []


def test_the_fetcher_serves_the_hashed_names_that_collectstatic_writes(settings, tmp_path):
    """In production {% static %} gives a hashed name that only the collected folder holds."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "report.0123456789ab.css").write_bytes(REPORT_CSS.read_bytes())
    (tmp_path / "staticfiles.json").write_text(
        '{"paths": {"css/report.css": "css/report.0123456789ab.css"}, "version": "1.1", "hash": "x"}'
    )
    from django.templatetags.static import static

    assert static("css/report.css") == "/static/css/report.0123456789ab.css"
    assert static_only_fetcher("/static/css/report.0123456789ab.css")["string"] == REPORT_CSS.read_bytes()
    with pytest.raises(ValueError):
        static_only_fetcher("/static/staticfiles.json/../../secret_key")


@pytest.mark.django_db
def test_a_report_with_hostile_references_renders_without_fetching_them(world, reporter, monkeypatch):
    file_case(reporter, world.municipality)
    html = render_report_html(
        statistics_for(world.partnership, this_quarter()), summaries=[], generated_at=GENERATED, language="nb"
    )
    hostile = ["file:///etc/passwd", "http://127.0.0.1:9/", "http://localhost/redirect"]
    html = html.replace("</head>", f'<link rel="stylesheet" href="{hostile[1]}"></head>', 1)
    html = html.replace("</body>", f'<img src="{hostile[0]}" alt=""><img src="{hostile[2]}" alt=""></body>', 1)

    attempts: list[str] = []

    def refuse(name):
        def opened(*args, **kwargs):
            attempts.append(name)
            raise AssertionError(f"{name} was called while rendering the report")

        return opened

    import socket

    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urllib.request.urlopen"))
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse("OpenerDirector.open"))

    asked: dict[str, str] = {}
    real_fetcher = reports.static_only_fetcher

    def spy(url, *args, **kwargs):
        try:
            found = real_fetcher(url, *args, **kwargs)
        except ValueError:
            asked[url] = "refused"
            raise
        asked[url] = "served"
        return found

    monkeypatch.setattr(reports, "static_only_fetcher", spy)

    pdf = render_report_pdf(html)

    assert pdf.startswith(b"%PDF-")
    assert attempts == []
    assert asked == {
        f"{SITE}/static/css/report.css": "served",
        hostile[0]: "refused",
        hostile[1]: "refused",
        hostile[2]: "refused",
    }
