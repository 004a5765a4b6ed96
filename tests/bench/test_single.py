"""Each middleware's own time on the floor page, measured in one process (bench/single.py)."""

import json

import pytest

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
    real = single._variant_settings

    def refusing(without: str) -> dict:
        found = real(without)
        if without == broken:  # a stack without authentication: the floor sends the person to log in
            found["MIDDLEWARE"] = [name for name in found["MIDDLEWARE"] if "auth" not in name]
        return found

    monkeypatch.setattr(single, "_variant_settings", refusing)
    result = single.middleware_alone(str(plan))
    assert result["refused"][broken].startswith("raised AttributeError")
    assert broken not in result["own_ms"]
