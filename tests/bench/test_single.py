"""One request at a time in one process (bench/single.py): each page with the floors beside it, and
each middleware's own time on the floor page."""

import json

import pytest

from bench import pages as named
from bench import single
from bench.pages import BARE_VARIANT
from bench.settings import BARE_MIDDLEWARE, PAIRED, SITE_MIDDLEWARE

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tmp_path, coordinator):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"coordinators": [{"email": coordinator.email}]}))
    return path


def test_every_removable_middleware_and_the_bare_floor_get_a_time(settings, plan, monkeypatch):
    settings.ROOT_URLCONF = "bench.urls"
    monkeypatch.setattr(single, "MIDDLEWARE_REQUESTS", 3)
    result = single.middleware_alone(str(plan))
    removable = [name for name in SITE_MIDDLEWARE if name not in (*BARE_MIDDLEWARE, *PAIRED.values())]
    assert result["refused"] == {}
    assert set(result["own_ms"]) == {*removable, BARE_VARIANT}
    assert result["all_ms"] > 0
    assert all(isinstance(ms, float) for ms in result["own_ms"].values())


def test_a_variant_that_cannot_serve_the_floor_is_named_not_timed(settings, plan, monkeypatch):
    settings.ROOT_URLCONF = "bench.urls"
    monkeypatch.setattr(single, "MIDDLEWARE_REQUESTS", 2)
    broken = "django.middleware.common.CommonMiddleware"
    real = single._variant_middleware

    def refusing(without: str) -> list[str]:
        found = real(without)
        if without == broken:  # a stack without authentication: the floor page fails on request.user
            found = [name for name in found if "auth" not in name]
        return found

    monkeypatch.setattr(single, "_variant_middleware", refusing)
    result = single.middleware_alone(str(plan))
    assert result["refused"][broken].startswith("raised AttributeError")
    assert broken not in result["own_ms"]


def test_each_page_is_measured_with_the_floors_taken_in_turn_beside_it(settings, plan, monkeypatch):
    settings.ROOT_URLCONF = "bench.urls"
    monkeypatch.setattr(single, "REPEATS", 2)
    monkeypatch.setattr(
        single.named,
        "named_pages",
        lambda _plan: [{"name": "the bell", "kind": "list", "url": "/varsler/", "people": "coordinators"}],
    )
    result = single.measure(str(plan))
    assert set(result) == {named.FLOOR, named.LAYOUT_FLOOR, "the bell"}
    page = result["the bell"]
    assert page["queries"] > 0
    assert set(page["beside"]) == {"floor_ms", "layout_ms", "layout_sql_ms"}
    assert page["beside"]["floor_ms"] > 0 and page["beside"]["layout_ms"] > 0
    # Both floors were asked for once with each of the page's requests.
    assert result[named.FLOOR]["ms"] > 0 and result[named.LAYOUT_FLOOR]["queries"] > 0
