"""bench/baseline.py's floor pages: the raw rows alone, and the same rows in the site's layout."""

import pytest

from tests.builders import file_case

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


def test_the_layout_floor_draws_the_floors_rows_in_the_sites_layout(client, world, reporter, coordinator, monkeypatch):
    monkeypatch.setenv("BENCH_PARTNERSHIP", str(world.partnership.pk))
    case = file_case(reporter, world.municipality)
    client.force_login(coordinator)
    floor = client.get("/bench/raw/").content.decode()
    layout = client.get("/bench/layout/").content.decode()
    assert case.reference in floor and case.reference in layout
    assert "<nav" not in floor and "<nav" in layout  # the site's navigation, as on every real page


def test_neither_floor_is_shown_to_someone_not_signed_in(client):
    for path in ("/bench/raw/", "/bench/layout/"):
        assert client.get(path).status_code == 302
