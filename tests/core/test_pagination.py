"""Long lists page without counting every row; short ones are counted as before."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from avvik.cases.models.deviation import Deviation
from avvik.cases.views.lists import DeviationListView
from avvik.core.pagination import CappedPaginator, Cursor
from tests.builders import file_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(DeviationListView, "paginate_by", 2)
    monkeypatch.setattr(CappedPaginator, "cap", 3)


@pytest.fixture
def five_cases(world, reporter):
    return [file_case(reporter, world.municipality, title=f"Sak {n}") for n in range(5)]


def test_a_short_list_is_counted(client, small_pages, world, reporter, coordinator):
    for n in range(3):
        file_case(reporter, world.municipality, title=f"Sak {n}")
    client.force_login(coordinator)
    body = client.get(reverse("cases:all")).content.decode()
    assert "3 avvik" in body
    assert "Side 1 av 2" in body


def test_a_long_list_says_more_than_the_cap_and_pages_without_a_total(client, small_pages, five_cases, coordinator):
    coordinator.language = "en"  # the new texts are checked in the source language
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    first = client.get(reverse("cases:all"))
    body = first.content.decode()
    assert "More than 3 deviations" in body
    assert "Page 1" in body and "Page 1 of" not in body
    assert "page=2" in body
    assert len(first.context["object_list"]) == 2
    last = client.get(reverse("cases:all"), {"page": 3})
    assert [d.title for d in last.context["object_list"]] == ["Sak 0"]
    assert "page=4" not in last.content.decode() and "page=2" in last.content.decode()
    assert client.get(reverse("cases:all"), {"page": 4}).status_code == 404
    assert client.get(reverse("cases:all"), {"page": "x"}).status_code == 404


def test_every_page_of_a_long_list_together_holds_every_case_once(client, small_pages, five_cases, coordinator):
    client.force_login(coordinator)
    seen = []
    for page in (1, 2, 3):
        seen += [d.pk for d in client.get(reverse("cases:all"), {"page": page}).context["object_list"]]
    assert sorted(seen) == sorted(d.pk for d in five_cases)


def test_csv_export_streams_every_row_past_the_cap(client, small_pages, five_cases, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("cases:all"), {"format": "csv"})
    assert response.streaming
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(five_cases)
    assert lines[0].startswith("Referanse;")


# Keyset paging: a long list in the newest or oldest order pages by cursor ----------------------


def _links(response) -> dict[str, str]:
    """The pager's links by their text (English), as query strings."""
    found = re.findall(r'<a class="page-link" href="\?([^"]*)">([^<]+)</a>', response.content.decode())
    return {text: html.unescape(href) for href, text in found}


def _walk(client, url, first_query=""):
    """Every page from the first by the Next links: the rows' ids per page, and the queries followed."""
    pages, queries, query = [], [], first_query
    while True:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        pages.append([d.pk for d in response.context["object_list"]])
        queries.append(query)
        query = _links(response).get("Next")
        if query is None:
            return pages, queries


@pytest.fixture
def english_coordinator(coordinator):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    return coordinator


@pytest.fixture
def tied_cases(world, reporter):
    """Seven cases, five of them filed at the very same instant: the id breaks the tie."""
    cases = [file_case(reporter, world.municipality, title=f"Sak {n}") for n in range(7)]
    instant = timezone.now() - timedelta(days=1)
    Deviation.objects.filter(pk__in=[d.pk for d in cases[1:6]]).update(created_at=instant)
    Deviation.objects.filter(pk=cases[0].pk).update(created_at=instant - timedelta(hours=1))
    return cases


@pytest.mark.parametrize("ordering", ["-created", "created"])
def test_a_long_list_pages_by_cursor_through_every_case_once_in_order(
    client, small_pages, tied_cases, english_coordinator, ordering
):
    client.force_login(english_coordinator)
    url = reverse("cases:all")
    pages, queries = _walk(client, url, f"ordering={ordering}")
    expected = list(
        Deviation.objects.order_by(
            *(["-created_at", "-pk"] if ordering == "-created" else ["created_at", "pk"])
        ).values_list("pk", flat=True)
    )
    assert [pk for page in pages for pk in page] == expected
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    # The first step is still a page number; the deeper ones carry a cursor and the filter.
    assert all("after=" in query and f"ordering={ordering}" in query for query in queries[1:])
    # And the same pages by offset, for a link that names a page.
    by_offset = [
        [d.pk for d in client.get(url, {"ordering": ordering, "page": n}).context["object_list"]] for n in (1, 2, 3, 4)
    ]
    assert by_offset == pages


def test_previous_from_a_cursor_page_is_the_page_before_it(client, small_pages, tied_cases, english_coordinator):
    client.force_login(english_coordinator)
    url = reverse("cases:all")
    pages, queries = _walk(client, url)
    last = client.get(f"{url}?{queries[-1]}")
    assert "Page 4" in last.content.decode()
    back = _links(last)["Previous"]
    assert "before=" in back
    third = client.get(f"{url}?{back}")
    assert [d.pk for d in third.context["object_list"]] == pages[2]
    assert "Page 3" in third.content.decode()
    second = client.get(f"{url}?{_links(third)['Previous']}")
    assert [d.pk for d in second.context["object_list"]] == pages[1]
    # From the second page, Previous is the first page itself, by number.
    assert _links(second)["Previous"] == "page=1"


def test_a_cursor_page_keeps_the_filter(client, small_pages, world, reporter, english_coordinator):
    cases = [file_case(reporter, world.municipality, title=f"Sak {n}") for n in range(9)]
    Deviation.objects.filter(pk__in=[d.pk for d in cases[::2]]).update(consequence="significant")
    client.force_login(english_coordinator)
    pages, queries = _walk(client, reverse("cases:all"), "consequence=significant")
    assert sorted(pk for page in pages for pk in page) == sorted(d.pk for d in cases[::2])
    assert all("consequence=significant" in query for query in queries)


def test_a_cursor_in_an_order_without_one_is_ignored_and_a_broken_one_is_no_page(
    client, small_pages, tied_cases, english_coordinator
):
    client.force_login(english_coordinator)
    url = reverse("cases:all")
    first = [d.pk for d in client.get(url, {"ordering": "reference"}).context["object_list"]]
    with_cursor = client.get(url, {"ordering": "reference", "after": "1-1"})
    assert [d.pk for d in with_cursor.context["object_list"]] == first
    assert client.get(url, {"after": "yesterday"}).status_code == 404
    assert client.get(url, {"before": "9" * 40}).status_code == 404
    # Past the last case: nothing there.
    assert client.get(url, {"after": "1-1"}).status_code == 404


def test_a_cursor_page_makes_no_more_queries_than_the_first(client, small_pages, tied_cases, english_coordinator):
    client.force_login(english_coordinator)
    url = reverse("cases:all")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    with CaptureQueriesContext(connection) as deeper:
        client.get(f"{url}?{_links(response)['Next']}")
    # page 2 by cursor (the first Next is a cursor once the list is capped)
    assert len(deeper) <= len(first)
    assert not any("OFFSET" in query["sql"] for query in deeper.captured_queries)


def test_cursor_reads_back_what_it_wrote():
    at = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
    cursor = Cursor(at=at, pk=42)
    assert Cursor.parse(str(cursor)) == cursor
    assert Cursor.parse("12-") is None
    assert Cursor.parse("-1-2") is None


def test_a_text_search_counts_no_further_than_its_page(client, world, reporter, english_coordinator, monkeypatch):
    monkeypatch.setattr(DeviationListView, "paginate_by", 2)
    for n in range(5):
        file_case(reporter, world.municipality, title=f"Røntgensvar {n}")
    client.force_login(english_coordinator)
    url = reverse("cases:all")
    with CaptureQueriesContext(connection) as context:
        first = client.get(url, {"q": "røntgensvar"})
    body = first.content.decode()
    assert "More than 2 deviations" in body and "Page 1" in body
    # The cases are not counted at all: the page reads one row more than it shows.
    assert not [
        query["sql"]
        for query in context.captured_queries
        if "COUNT(" in query["sql"] and "cases_deviation" in query["sql"] and "capped_" not in query["sql"]
    ]
    second = client.get(f"{url}?{_links(first)['Next']}")
    assert "More than 4 deviations" in second.content.decode()
    last = client.get(f"{url}?{_links(second)['Next']}")
    assert "5 deviations" in last.content.decode() and "Next" not in _links(last)
    assert len(last.context["object_list"]) == 1
    assert client.get(url, {"q": "røntgensvar", "page": 4}).status_code == 404
