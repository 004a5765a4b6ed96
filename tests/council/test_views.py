"""The council's view: statistics of its own partnership only, small counts hidden, no single case."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from avvik.cases.choices import Status
from avvik.core import queue
from avvik.council import pdf as reports
from avvik.council import services, tasks
from avvik.council.counting import percentile, statistics_for
from avvik.council.models import CouncilReport, Volume
from avvik.council.periods import Period
from avvik.outbox.models import Notification
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db


def make_cases(world, reporter, coordinator, handler, n, status=Status.CLOSED):
    return [
        drive(
            file_case(reporter, world.municipality), status, coordinator=coordinator, handler=handler, reporter=reporter
        )
        for _ in range(n)
    ]


def test_statistics_count_new_closed_open_and_pairs(world, reporter, coordinator, handler):
    with time_machine.travel("2026-10-05 09:00 +02:00", tick=False):
        make_cases(world, reporter, coordinator, handler, 6)
        make_cases(world, reporter, coordinator, handler, 2, status=Status.IN_PROGRESS)
    stats = statistics_for(world.partnership, Period.quarter(2026, 4))
    assert (stats.new, stats.closed, stats.open_at_end) == (8, 6, 2)
    hospital_row = stats.matrix_rows.index(world.hospital.name)
    municipality_column = stats.matrix_columns.index(world.municipality.name)
    assert stats.matrix[hospital_row][municipality_column] == 8
    assert stats.answer_on_time.total == 6 and stats.answer_on_time.on_time == 6
    assert stats.handling_median == 0 and stats.measures_agreed == 6 and stats.measures_done == 6
    assert stats.trend_labels[-1] == "4. kvartal 2026" and stats.trend_new[-1] == 8 and len(stats.trend_labels) == 8


def test_percentile_is_nearest_rank():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert percentile([], 0.9) is None


def test_periods_parse_quarters_and_years():
    assert Period.parse("2026Q3") == Period(date(2026, 7, 1), date(2026, 9, 30), "2026 K3")
    assert Period.parse("2026").end == date(2026, 12, 31)
    assert [q.label for q in Period.parse("2026Q1").previous_quarters(2)] == ["4. kvartal 2025", "1. kvartal 2026"]


def test_council_members_see_small_counts_as_less_than_five(
    client, world, reporter, coordinator, handler, council_member
):
    with time_machine.travel("2026-10-05 09:00 +02:00", tick=False):
        make_cases(world, reporter, coordinator, handler, 3)
    with time_machine.travel("2027-01-15 09:00 +01:00", tick=False):
        client.force_login(council_member)
        council_page = client.get(reverse("council:statistics"), {"period": "2026Q4"}).content.decode()
        client.force_login(coordinator)
        coordinator_page = client.get(reverse("council:statistics"), {"period": "2026Q4"}).content.decode()

    def new_count(page):
        import re

        summary = page[page.index("stats-summary") :]
        return re.search(r"<dd[^>]*>\s*(.*?)\s*</dd>", summary, flags=re.S).group(1)

    assert new_count(council_page) == "&lt;5"
    assert new_count(coordinator_page) == "3"


def statistics_page(client, user, period="2026Q4") -> str:
    with time_machine.travel("2027-01-15 09:00 +01:00", tick=False):
        client.force_login(user)  # the session starts when the page is read
        return client.get(reverse("council:statistics"), {"period": period}).content.decode()


def row_in(page: str, section: str, label: str) -> str:
    """The count beside `label` in the table of one section of the statistics page."""
    import re

    start = page.index(f'id="{section}-heading"')
    table = page[start : page.index("</section>", start)]
    return re.search(rf'<th scope="row">{re.escape(label)}</th>\s*<td>(.*?)</td>', table).group(1)


def test_council_members_see_the_count_that_would_give_a_small_one_away_as_hidden_and_coordinators_see_both(
    client, world, reporter, coordinator, handler, council_member
):
    from django.utils import translation

    from avvik.catalogue.models import Category

    first, second = Category.objects.filter(partnership=world.partnership).order_by("position")[:2]
    with time_machine.travel("2026-10-05 09:00 +02:00", tick=False):
        for category, count in ((first, 6), (second, 2)):
            for _ in range(count):
                file_case(reporter, world.municipality, category=category)
    with translation.override("nb"):
        hidden = translation.gettext("hidden")

    council_page = statistics_page(client, council_member)
    # 8 new deviations: "<5" for the second category would be 8 - 6 = 2 if the 6 were shown.
    assert row_in(council_page, "category", second.name) == "&lt;5"
    assert row_in(council_page, "category", first.name) == hidden
    chart = council_page[
        council_page.index('id="chart-category"') : council_page.index(
            "</svg>", council_page.index('id="chart-category"')
        )
    ]
    assert f"{first.name}: {hidden}" in chart and f"{first.name}: 6" not in chart
    assert f"“{hidden}”" in council_page or f"«{hidden}»" in council_page  # the note explains the mark

    coordinator_page = statistics_page(client, coordinator)
    assert row_in(coordinator_page, "category", first.name) == "6"
    assert row_in(coordinator_page, "category", second.name) == "2"
    assert f"“{hidden}”" not in coordinator_page and f"«{hidden}»" not in coordinator_page


def test_the_council_sees_the_ten_most_frequent_clauses_and_the_rest_as_one_line(
    client, world, reporter, coordinator, council_member
):
    from django.utils import translation

    from avvik.catalogue.models import AgreementClause

    clauses = [
        AgreementClause.objects.create(partnership=world.partnership, code=f"9.{n:02}", title=f"Punkt {n}")
        for n in range(11)
    ]
    with time_machine.travel("2026-10-05 09:00 +02:00", tick=False):
        for index, clause in enumerate(clauses):
            for _ in range(5 + index if index < 10 else 1):
                file_case(reporter, world.municipality, clause=clause)
    with translation.override("nb"):
        other, hidden = translation.gettext("Other clauses"), translation.gettext("hidden")

    council_page = statistics_page(client, council_member)
    # The other line (1) is small and takes the smallest of the ten (5) with it. "<5" beside a hidden
    # count of at most 6 (the smallest shown) in a sum of 6 would still say 1, so both read "hidden".
    assert row_in(council_page, "clause", other) == hidden
    assert row_in(council_page, "clause", "9.00 Punkt 0") == hidden
    assert "9.10 Punkt 10" not in council_page
    coordinator_page = statistics_page(client, coordinator)
    assert row_in(coordinator_page, "clause", "9.10 Punkt 10") == "1"
    assert other not in coordinator_page


def test_the_council_sees_the_partnership_as_a_whole_and_coordinators_may_pick_an_organisation(
    client, world, reporter, coordinator, handler, council_member
):
    with time_machine.travel("2026-07-06 09:00 +02:00", tick=False):
        make_cases(world, reporter, coordinator, handler, 6)
    query = {"period": "2026Q3", "organisation": world.bystander_org.pk}
    client.force_login(council_member)
    page = client.get(reverse("council:statistics"), query).content.decode()
    assert 'name="organisation"' not in page
    assert f"· {world.bystander_org.name}" not in page  # the figures are the whole partnership's
    client.force_login(coordinator)
    page = client.get(reverse("council:statistics"), query).content.decode()
    assert 'name="organisation"' in page and f"· {world.bystander_org.name}" in page


def test_council_sees_only_its_own_partnership(client, world, council_member, foreigner):
    client.force_login(council_member)
    page = client.get(reverse("council:statistics")).content.decode()
    assert world.partnership.name in page and world.other_partnership.name not in page
    assert client.get(reverse("council:statistics"), {"p": world.other_partnership.slug}).status_code == 404


def test_statistics_is_closed_to_reporters_and_handlers(client, reporter, handler):
    for user in (reporter, handler):
        client.force_login(user)
        assert client.get(reverse("council:statistics")).status_code == 403


def test_a_bad_custom_period_gets_a_message(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("council:statistics"), {"period": "custom", "start": "2026-05-01"}).content.decode()
    assert "begge datoene" in page or "both dates" in page


def test_rates_per_thousand_use_the_volumes_for_the_whole_period(client, world, reporter, coordinator, handler):
    with time_machine.travel("2026-10-05 09:00 +02:00", tick=False):
        make_cases(world, reporter, coordinator, handler, 6)
    client.force_login(coordinator)
    response = client.post(
        reverse("council:volumes"),
        {"organisation": world.hospital.pk, "year": 2026, "quarter": 4, "kind": "utskrivninger", "amount": 1200},
    )
    assert response.status_code == 302
    [rate] = statistics_for(world.partnership, Period.quarter(2026, 4)).rates
    assert (rate.count, rate.volume, rate.per_thousand) == (6, 1200, 5.0)
    assert statistics_for(world.partnership, Period.year(2026)).rates == []  # only one quarter known


def test_volumes_are_for_coordinators_only(client, council_member, world):
    client.force_login(council_member)
    assert client.get(reverse("council:volumes")).status_code == 403
    assert Volume.objects.count() == 0


def test_a_coordinator_approves_an_anonymised_summary(client, world, reporter, coordinator, handler):
    case = file_case(reporter, world.municipality)
    client.force_login(coordinator)
    url = reverse("council:council_summary", args=[case.reference])
    client.post(url, {"text": "Pasient 01010012356 fikk feil medisin."})
    case.refresh_from_db()
    assert case.council_summary == ""  # refused: an identity number
    client.post(url, {"text": "Epikrise kom fram etter fem dager."})
    case.refresh_from_db()
    assert case.council_summary == "Epikrise kom fram etter fem dager." and case.council_summary_by == coordinator
    client.force_login(reporter)
    assert client.post(url, {"text": "x"}).status_code == 403


def test_xlsx_export_for_coordinators_is_made_by_a_worker_with_the_same_rows_as_csv(
    client, world, reporter, coordinator, monkeypatch, settings, tmp_path
):
    from openpyxl import load_workbook

    from avvik.core import queue
    from avvik.exports.models import Export
    from avvik.exports.tasks import build_export

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(queue, "dispatch", lambda *args: True)
    cases = [file_case(reporter, world.municipality, title=t) for t in ("Første", "=Andre")]
    client.force_login(coordinator)
    response = client.get(reverse("cases:all"), {"format": "xlsx"})
    export = Export.objects.get(requested_by=coordinator)
    assert response.status_code == 302 and response["Location"] == reverse("exports:detail", args=[export.pk])
    build_export(export.pk)
    export.refresh_from_db()
    with export.file.open("rb") as file:
        sheet = load_workbook(io.BytesIO(file.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Referanse"
    assert {row[0] for row in rows[1:]} == {c.reference for c in cases}
    assert "'=Andre" in {row[-1] for row in rows[1:]}  # never a formula
    client.force_login(reporter)
    assert client.get(reverse("cases:all"), {"format": "xlsx"}).status_code == 403


def test_the_quarterly_report_is_made_once_on_the_first_working_day_after_the_quarter(world):
    # 1 October 2026 is a Thursday: the first working day of the fourth quarter.
    services.quarterly_reports_create(today=date(2026, 9, 30))
    assert not CouncilReport.objects.filter(period_label="2026 K3").exists()  # the quarter has not ended
    made = services.quarterly_reports_create(today=date(2026, 10, 1))
    assert {r.partnership for r in made} == {world.partnership, world.other_partnership}
    assert services.quarterly_reports_create(today=date(2026, 10, 2)) == []  # a second beat, the next day
    report = CouncilReport.objects.get(partnership=world.partnership, period_label="2026 K3")
    assert report.automatic


def test_asking_again_makes_a_new_version(world, coordinator):
    first = services.report_request(partnership=world.partnership, period=Period.quarter(2026, 3), by=coordinator)
    second = services.report_request(partnership=world.partnership, period=Period.quarter(2026, 3), by=coordinator)
    assert (first.version, second.version) == (1, 2)


def test_reports_of_another_partnership_are_not_reachable(client, world, coordinator, foreigner, council_member):
    report = services.report_request(partnership=world.partnership, period=Period.quarter(2026, 3), by=coordinator)
    client.force_login(foreigner)
    assert client.get(reverse("council:report", args=[report.pk])).status_code == 404
    assert client.get(reverse("council:report_download", args=[report.pk])).status_code == 404
    client.force_login(council_member)
    assert client.get(reverse("council:report", args=[report.pk]), {"format": "json"}).json()["status"] == "pending"


def test_a_finished_report_is_archived_announced_and_downloaded_by_the_council(
    client, world, reporter, coordinator, handler, council_member
):
    import hashlib

    from avvik.outbox.models import Notification

    with time_machine.travel("2026-07-06 09:00 +02:00", tick=False):
        make_cases(world, reporter, coordinator, handler, 6)
    report = services.report_request(partnership=world.partnership, period=Period.quarter(2026, 3), by=coordinator)
    assert services.report_build(report_id=report.pk) is True
    assert services.report_build(report_id=report.pk) is False  # a redelivered task does nothing
    report.refresh_from_db()
    assert report.status == "done" and report.progress == 100
    content = report.file.open("rb").read()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == report.sha256
    assert Notification.objects.filter(recipient=council_member, kind="report_ready", report=report).exists()

    client.force_login(council_member)
    response = client.get(reverse("council:report_download", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == content


def test_a_report_whose_worker_died_is_built_again_after_the_lease(world, coordinator, council_member, monkeypatch):
    queued = []
    monkeypatch.setattr(queue, "dispatch", lambda name, pk: queued.append(pk) or True)
    report = services.report_request(partnership=world.partnership, period=Period.quarter(2026, 3), by=coordinator)
    queued.clear()
    # A worker claimed it and died: the report stays running until the lease is over.
    claimed = timezone.now()
    CouncilReport.objects.filter(pk=report.pk).update(status="running", claimed_at=claimed, progress=40)
    with time_machine.travel(claimed + timedelta(seconds=services.REPORT_TIME_LIMIT)):
        assert tasks.sweep_report_queue() == 0
    with time_machine.travel(claimed + timedelta(seconds=services.REPORT_TIME_LIMIT + 61)):
        assert tasks.sweep_report_queue() == 1
    assert queued == [report.pk]
    assert services.report_build(report_id=report.pk) is True
    report.refresh_from_db()
    assert report.status == "done" and report.file
    assert Notification.objects.filter(kind="report_ready", report=report, recipient=council_member).count() == 1


def test_a_late_builder_whose_claim_was_taken_over_keeps_nothing(world, coordinator, council_member, monkeypatch):
    report = services.report_request(partnership=world.partnership, period=Period.quarter(2026, 3), by=coordinator)
    real_render = reports.render_report_pdf

    def slow_render(html):
        # Meanwhile the lease ran out and another worker claimed the report.
        CouncilReport.objects.filter(pk=report.pk).update(claimed_at=timezone.now() + timedelta(seconds=5))
        return real_render(html)

    monkeypatch.setattr(services, "render_report_pdf", slow_render)
    assert services.report_build(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.status == "running" and not report.file
    assert not Notification.objects.filter(kind="report_ready", report=report).exists()


def test_the_pdf_the_page_and_the_export_agree_on_the_numbers(client, world, reporter, coordinator, handler):
    import csv
    import re
    import subprocess

    from tests.processes import require

    require("pdftotext", "apt-get install poppler-utils")
    with time_machine.travel("2026-07-06 09:00 +02:00", tick=False):
        make_cases(world, reporter, coordinator, handler, 7)
        make_cases(world, reporter, coordinator, handler, 5, status=Status.IN_PROGRESS)
    period = Period.quarter(2026, 3)
    report = services.report_request(partnership=world.partnership, period=period, by=coordinator)
    services.report_build(report_id=report.pk)
    report.refresh_from_db()
    text = subprocess.run(
        ["pdftotext", "-layout", report.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout

    client.force_login(coordinator)
    page = client.get(reverse("council:statistics"), {"period": "2026Q3"}).content.decode()
    export = (
        client.get(
            reverse("cases:all"), {"format": "csv", "created_after": "2026-07-01", "created_before": "2026-09-30"}
        )
        .getvalue()
        .decode("utf-8-sig")
    )
    exported = len(list(csv.reader(export.splitlines(), delimiter=";"))) - 1

    new_on_page = re.search(r"stats-summary.*?<dd[^>]*>\s*(\d+)\s*</dd>", page, flags=re.S).group(1)
    assert int(new_on_page) == exported == 12

    from django.utils import translation

    with translation.override(world.partnership.written_form):
        new_label, closed_label = translation.gettext("New deviations"), translation.gettext("Closed deviations")

    def pdf_figure(label):
        # The key-figure table: the label, then the number at the end of the line.
        rows = [line for line in text.splitlines() if line.strip().startswith(label) and re.search(r"\d\s*$", line)]
        return int(rows[0].split()[-1])

    assert pdf_figure(new_label) == 12
    assert pdf_figure(closed_label) == statistics_for(world.partnership, period).closed == 7


def test_a_share_that_would_reveal_a_small_count_is_hidden_from_the_council():
    from avvik.council.counting import Share

    assert Share(on_time=2, total=6).safe_for_council is False  # 2 on time
    assert Share(on_time=4, total=6).safe_for_council is False  # 2 late
    assert Share(on_time=6, total=6).safe_for_council is True
    assert Share(on_time=5, total=10).safe_for_council is True


def test_the_report_pdf_is_tagged_for_screen_readers(world):
    import subprocess

    from django.utils import timezone

    from avvik.council.pdf import render_report_html, render_report_pdf
    from tests.processes import require

    require("pdfinfo", "apt-get install poppler-utils")
    stats = statistics_for(world.partnership, Period.quarter(2026, 3))
    pdf = render_report_pdf(render_report_html(stats, summaries=[], generated_at=timezone.now(), language="nb"))
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Tagged:          yes" in info


def test_council_members_cannot_choose_their_own_dates_or_see_handling_time_from_few_cases(
    client, world, reporter, coordinator, handler, council_member
):
    with time_machine.travel("2026-07-06 09:00 +02:00", tick=False):
        make_cases(world, reporter, coordinator, handler, 1)
    client.force_login(council_member)
    page = client.get(reverse("council:statistics"), {"period": "2026Q3"}).content.decode()
    assert 'value="custom"' not in page
    summary = page.split("stats-summary")[1].split("</dl>")[0]
    # The handling time of a single case is not shown, only that there are too few.
    assert summary.count("for få saker (&lt;5)") == 2
    response = client.get(
        reverse("council:statistics"), {"period": "custom", "start": "2026-07-06", "end": "2026-07-06"}
    )
    assert "stats-summary" in response.content.decode()  # falls back to the default quarter


def test_a_notification_that_fails_for_any_reason_is_retried_then_marked_failed(
    world, reporter, coordinator, monkeypatch
):
    from avvik.outbox import emails
    from avvik.outbox.delivery import MAX_SEND_ATTEMPTS, SendFailed, send_notification
    from avvik.outbox.models import Notification

    file_case(reporter, world.municipality)
    notification = Notification.objects.get(recipient=coordinator)
    monkeypatch.setattr(emails, "build_message", lambda *a, **k: (_ for _ in ()).throw(KeyError("template")))
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(MAX_SEND_ATTEMPTS - 1):
            with pytest.raises(SendFailed):
                send_notification(notification.pk)
            notification.refresh_from_db()
            clock.move_to(notification.next_attempt_at)  # each retry when its back-off is over
        assert send_notification(notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == "failed" and "KeyError" in notification.last_error


def test_the_statistics_page_shows_a_new_case_at_once(client, world, reporter, coordinator, handler):
    url, query = reverse("council:statistics"), {"period": "2026Q3"}
    with time_machine.travel("2026-07-06 09:00 +02:00", tick=False):
        make_cases(world, reporter, coordinator, handler, 6)
        client.force_login(coordinator)
        assert client.get(url, query).context["stats"].new == 6
        make_cases(world, reporter, coordinator, handler, 1)
        # Summed from the monthly counts, which the filing itself updated: nothing to wait for.
        assert client.get(url, query).context["stats"].new == 7


def test_one_organisations_statistics_are_counted_once_and_again_after_a_change_at_most_once_a_minute(
    client, world, reporter, coordinator, handler, monkeypatch
):
    from avvik.council import counting as statistics

    counted = []
    real = statistics.statistics_for
    monkeypatch.setattr(statistics, "statistics_for", lambda *args: counted.append(args) or real(*args))
    url, query = reverse("council:statistics"), {"period": "2026Q3", "organisation": world.hospital.pk}
    with time_machine.travel("2026-07-06 09:00 +02:00", tick=False) as clock:
        make_cases(world, reporter, coordinator, handler, 6)
        client.force_login(coordinator)
        page = client.get(url, query).content.decode()
        assert "kl. 09:00" in page  # the page says when the figures were counted
        client.get(url, query)
        assert len(counted) == 1, "the second view is kept"
        make_cases(world, reporter, coordinator, handler, 1)
        client.get(url, query)
        assert len(counted) == 1, "within a minute of counting, a change waits"
        clock.shift(61)
        client.get(url, query)
        assert len(counted) == 2, "after a minute, a new case counts again"
        clock.shift(61)
        client.get(url, query)
        assert len(counted) == 2, "nothing changed: still kept"
        Volume.objects.create(organisation=world.hospital, year=2026, quarter=3, kind="utskrivninger", amount=100)
        clock.shift(61)
        client.get(url, query)
        volume = Volume.objects.get()
        volume.amount = 200
        volume.save()
        clock.shift(61)
        client.get(url, query)
        assert len(counted) == 4, "a new or changed volume counts again"
        client.get(url, {**query, "period": "2026Q2"})
        assert len(counted) == 5, "another period is counted on its own"
        client.get(url, {**query, "organisation": world.municipality.pk})
        assert len(counted) == 6, "another organisation is counted on its own"
        clock.shift(600)
        client.get(url, query)
        assert len(counted) == 7, "nothing is kept for more than ten minutes"


def test_council_members_are_offered_completed_quarters_and_years_only_and_read_the_threshold(
    client, world, council_member, coordinator
):
    world.partnership.small_count_threshold = 7
    world.partnership.save(update_fields=["small_count_threshold"])
    with time_machine.travel("2026-11-26 09:00 +01:00", tick=False):
        client.force_login(council_member)
        page = client.get(reverse("council:statistics"), {"period": "2026Q4"})
        client.force_login(coordinator)
        coordinator_page = client.get(reverse("council:statistics"), {"period": "2026Q4"})
    offered = [value for value, _label in page.context["form"].fields["period"].choices]
    assert offered[0] == "2026Q3" and "2026Q4" not in offered and "2026" not in offered and "2025" in offered
    assert page.context["stats"].period == Period.quarter(2026, 3)  # the running quarter is refused
    assert page.context["figures"].threshold == 7 and "&lt;7" in page.content.decode()
    # Coordinators keep the running quarter and their own dates, with exact figures.
    assert coordinator_page.context["stats"].period == Period.quarter(2026, 4)
    assert "custom" in [value for value, _label in coordinator_page.context["form"].fields["period"].choices]


def _partnership_admin(world):
    from avvik.tenancy.choices import Role
    from tests.factories import UserFactory, grant

    user = UserFactory(email="partnerskap@test")
    grant(user, Role.PARTNERSHIP_ADMIN, partnership=world.partnership)
    return user


def test_a_threshold_change_without_its_reference_is_refused_and_keeps_what_was_typed(client, world):
    from avvik.council.models import ThresholdDecision

    client.force_login(_partnership_admin(world))
    url = f"{reverse('council:threshold')}?p={world.partnership.slug}"
    data = {"new_threshold": "7", "decided_on": "2026-11-12", "reference": "", "reason": "Få saker i kvartalet."}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Få saker i kvartalet." in page  # nothing typed is lost
    assert 'value="7"' in page
    assert not ThresholdDecision.objects.exists()

    response = client.post(url, {**data, "reference": "SSU 12.11.2026, sak 9/26"})
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.small_count_threshold == 7
    assert "SSU 12.11.2026, sak 9/26" in client.get(url).content.decode()


def test_the_threshold_page_is_for_the_partnerships_administrators_only(client, world, coordinator, council_member):
    for person in (coordinator, council_member):
        client.force_login(person)
        assert client.get(reverse("council:threshold")).status_code == 403
        response = client.post(reverse("council:threshold"), {"new_threshold": "7"})
        assert response.status_code == 403
    world.partnership.refresh_from_db()
    assert world.partnership.small_count_threshold == 5
