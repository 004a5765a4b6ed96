"""avvik/pages/csp.py: the policy header built once gives what django-csp builds for each response."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.decorators import csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from avvik.pages import csp


@pytest.fixture
def middleware():
    return csp.CachedPolicyCSPMiddleware(lambda request: HttpResponse("ok"))


def _through(middleware, view=None, request=None):
    request = request or RequestFactory().get("/avvik/")
    middleware.process_request(request)
    response = (view or (lambda r: HttpResponse("ok")))(request)
    return request, middleware.process_response(request, response)


def test_the_header_is_the_one_django_csp_builds():
    plain = CSPMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/avvik/")
    plain.process_request(request)
    expected = plain.process_response(request, HttpResponse("ok"))[HEADER]
    _, response = _through(csp.CachedPolicyCSPMiddleware(lambda request: HttpResponse("ok")))
    assert response[HEADER] == expected
    assert "default-src 'self'" in expected and "frame-ancestors 'none'" in expected


def test_the_header_is_built_once(middleware, monkeypatch):
    calls = []
    built = csp.build_policy

    def counting(*args, **kwargs):
        calls.append(1)
        return built(*args, **kwargs)

    monkeypatch.setattr(csp, "build_policy", counting)
    csp._header.cache_clear()
    csp._plain.cache_clear()
    for _ in range(3):
        _through(middleware)
    assert len(calls) == 1


def test_a_changed_setting_is_used_at_once(middleware):
    _through(middleware)
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["https://example.org"]}}):
        _, response = _through(middleware)
        assert response[HEADER] == "default-src https://example.org"
    _, response = _through(middleware)
    assert "default-src 'self'" in response[HEADER]


def test_a_response_with_its_own_policy_goes_through_django_csp(middleware):
    @csp_update({"img-src": ["https://maps.example.org"]})
    def view(request):
        return HttpResponse("ok")

    _, response = _through(middleware, view)
    assert "https://maps.example.org" in response[HEADER]


@override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}})
def test_a_nonce_asked_for_is_in_the_header(middleware):
    nonces = []

    def view(request):
        nonces.append(str(request.csp_nonce))
        return HttpResponse("ok")

    _, response = _through(middleware, view)
    assert f"script-src 'self' 'nonce-{nonces[0]}'" in response[HEADER]
    _, response = _through(middleware)
    assert "script-src 'self'" in response[HEADER] and "nonce-" not in response[HEADER]


def test_a_nonce_asked_for_after_the_header_is_an_error(middleware):
    request, _ = _through(middleware)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_header_already_set_is_left_alone(middleware):
    def view(request):
        response = HttpResponse("ok")
        response[HEADER] = "default-src 'none'"
        return response

    _, response = _through(middleware, view)
    assert response[HEADER] == "default-src 'none'"


@override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": {"default-src": ["'self'"]}})
def test_a_report_only_policy_is_still_written(middleware):
    _, response = _through(middleware)
    assert response[HEADER_REPORT_ONLY] == "default-src 'self'"
    assert "frame-ancestors 'none'" in response[HEADER]
