"""bench/settings.py's middleware lists: the bare floor's and the site's without one of its own."""

import pytest

from bench import settings


def test_the_bare_floor_has_only_djangos_session_and_authentication_middleware():
    assert settings.middleware("bare", "") == [settings.SESSION, settings.AUTHENTICATION]


def test_without_names_nothing_the_site_keeps_all_its_middleware():
    assert settings.middleware("site", "") == settings.SITE_MIDDLEWARE


def test_a_middleware_left_out_is_gone_and_the_rest_keep_their_order():
    csp = "avvik.pages.csp.CachedPolicyCSPMiddleware"
    kept = settings.middleware("site", csp)
    assert csp in settings.SITE_MIDDLEWARE and csp not in kept
    assert kept == [name for name in settings.SITE_MIDDLEWARE if name != csp]


def test_prometheus_before_goes_with_its_after():
    before = "django_prometheus.middleware.PrometheusBeforeMiddleware"
    kept = settings.middleware("site", before)
    assert before not in kept
    assert settings.PAIRED[before] not in kept


def test_a_misspelt_middleware_stops_the_bench_instead_of_measuring_everything():
    with pytest.raises(ValueError, match="does not use"):
        settings.middleware("site", "avvik.pages.csp.CachedPolicyCSPMiddlewear")
