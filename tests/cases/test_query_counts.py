"""The number of SQL queries a page makes does not grow with the number of cases, comments or
transitions it shows: each page is measured with N and with 3N rows and must make as many."""

from datetime import UTC, datetime, timedelta
from itertools import cycle

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from avvik.cases import services
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.views.lists import DeviationListView
from avvik.catalogue.models import Category
from avvik.core.pagination import CappedPaginator
from tests.builders import PNG, drive, file_case, filing_form_data

pytestmark = pytest.mark.django_db

N = 6
# Every state a list row or a statistic can show, so both measurements meet the same branches.
STATES = [Status.SUBMITTED, Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING, Status.ANSWERED, Status.CLOSED]


@pytest.fixture
def people(world, reporter, handler, coordinator, council_member, hospital_handler):
    return {
        "reporter": reporter,
        "handler": handler,
        "coordinator": coordinator,
        "council_member": council_member,
    }


@pytest.fixture
def add_cases(world, people):
    """add_cases(n): n more cases, in every state in turn, with a comment, a unit and a clause."""
    states = cycle(STATES)
    categories = cycle(Category.objects.filter(partnership=world.partnership))
    unit = world.hospital.units.first()

    def add(count: int) -> None:
        for _ in range(count):
            category = next(categories)
            deviation = file_case(
                people["reporter"],
                world.municipality,
                category=category,
                reporting_unit=unit,
                clause=world.partnership.clauses.first(),
                patient=True,
            )
            # Commented first: an ended case takes no more messages.
            services.comment_add(deviation=deviation, by=people["coordinator"], body="Følges opp.")
            drive(
                deviation,
                next(states),
                coordinator=people["coordinator"],
                handler=people["handler"],
                reporter=people["reporter"],
            )

    return add


def queries(client, url, data=None, method="get") -> int:
    getattr(client, method)(url, data)  # warm up: the session and caches settle on the first request
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data)
        if getattr(response, "streaming", False):
            response.getvalue()  # a streamed export queries while it is read
    assert response.status_code in (200, 302), response.status_code
    return len(context.captured_queries)


def counts(client, user, url, add_cases, data=None) -> tuple[int, int]:
    client.force_login(user)
    add_cases(N)
    few = queries(client, url, data)
    add_cases(2 * N)
    return few, queries(client, url, data)


LIST_PAGES = [
    ("reporter", "cases:mine", None),
    ("reporter", "cases:all", None),
    ("handler", "cases:handling", None),
    ("handler", "cases:all", None),
    ("coordinator", "cases:triage", None),
    ("coordinator", "cases:all", None),
    ("coordinator", "cases:all", {"ordering": "answer_due"}),
    ("coordinator", "cases:all", {"overdue": "on"}),
    ("coordinator", "cases:all", {"q": "epikrise", "status": ["in_progress", "closed"], "consequence": "minor"}),
    ("coordinator", "cases:all", {"format": "csv"}),
    ("coordinator", "cases:all", {"format": "xlsx"}),
]


@pytest.mark.parametrize(("persona", "name", "data"), LIST_PAGES)
def test_list_queries_do_not_grow_with_the_cases(client, people, add_cases, persona, name, data):
    few, many = counts(client, people[persona], reverse(name), add_cases, data)
    assert few == many


@pytest.mark.parametrize("persona", ["coordinator", "council_member"])
def test_statistics_queries_do_not_grow_with_the_cases(client, people, add_cases, persona, settings):
    # Counted every time, as on the first view after a change (a kept result would hide the work).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    few, many = counts(client, people[persona], reverse("council:statistics"), add_cases)
    assert few == many


def test_filing_page_queries_do_not_grow_with_the_cases(client, world, people, add_cases):
    few, many = counts(client, people["reporter"], reverse("cases:new"), add_cases)
    assert few == many


def test_filing_queries_do_not_grow_with_the_cases(client, world, people, add_cases):
    data = filing_form_data(world)
    client.force_login(people["reporter"])
    add_cases(N)
    few = queries(client, reverse("cases:new"), data, method="post")
    add_cases(2 * N)
    assert queries(client, reverse("cases:new"), data, method="post") == few


@pytest.mark.parametrize("persona", ["reporter", "handler", "coordinator"])
def test_detail_queries_do_not_grow_with_comments_transitions_or_attachments(client, world, people, persona):
    deviation = drive(
        file_case(people["reporter"], world.municipality, patient=True),
        Status.IN_PROGRESS,
        coordinator=people["coordinator"],
        handler=people["handler"],
        reporter=people["reporter"],
    )
    url = reverse("cases:detail", args=[deviation.reference])

    def grow(count: int) -> None:
        nonlocal deviation
        for _ in range(count):
            deviation = services.deviation_transition(
                action="wait", deviation=deviation, by=people["handler"], note="Når?"
            )
            deviation = services.deviation_transition(action="resume", deviation=deviation, by=people["handler"])
            services.comment_add(deviation=deviation, by=people["handler"], body="Delt.")
            services.comment_add(deviation=deviation, by=people["handler"], body="Internt.", internal=True)
            services.comment_add(deviation=deviation, by=people["coordinator"], body="Fra kontaktpunktet.")
            services.comment_add(deviation=deviation, by=people["reporter"], body="Fra melder.")
            upload = SimpleUploadedFile("skjerm.png", PNG, content_type="image/png")
            services.attachment_add(deviation=deviation, by=people["reporter"], upload=upload)

    client.force_login(people[persona])
    grow(N)
    few = queries(client, url)
    grow(2 * N)
    assert queries(client, url) == few
    assert Deviation.objects.get(pk=deviation.pk).transitions.count() > 3 * N


def test_detail_queries_do_not_grow_with_other_cases(client, world, people, add_cases):
    deviation = file_case(people["reporter"], world.municipality)
    few, many = counts(client, people["coordinator"], reverse("cases:detail", args=[deviation.reference]), add_cases)
    assert few == many


def test_a_list_reads_each_of_the_filter_forms_choices_once(client, people, add_cases):
    """Both organisation drop-downs list the same rows: one plain query for them, one for the
    categories, and no server-side cursor for either."""
    client.force_login(people["coordinator"])
    add_cases(3)
    client.get(reverse("cases:all"))
    with CaptureQueriesContext(connection) as context:
        client.get(reverse("cases:all"))
    sql = [query["sql"] for query in context.captured_queries]
    assert sum('FROM "tenancy_organisation"' in query for query in sql) == 1
    assert sum('FROM "catalogue_category"' in query for query in sql) == 1
    assert not [query for query in sql if query.startswith("DECLARE")]


def test_a_cursor_page_makes_as_many_queries_as_the_same_page_by_offset(client, people, add_cases, monkeypatch):
    monkeypatch.setattr(DeviationListView, "paginate_by", 2)
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    client.force_login(people["coordinator"])
    add_cases(N)
    # The same rows by offset: a row may take a query of its own (a statutory alert to look up).
    by_offset = queries(client, reverse("cases:all"), {"page": "2"})
    last = Deviation.objects.order_by("-created_at", "-pk")[1]
    cursor = f"{(last.created_at - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)}-{last.pk}"
    assert queries(client, reverse("cases:all"), {"after": cursor, "page": "2"}) == by_offset
