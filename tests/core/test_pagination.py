"""Long lists page without counting every row; short ones are counted as before."""

import pytest
from django.urls import reverse

from avvik.cases.views.lists import DeviationListView
from avvik.core.pagination import CappedPaginator
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
