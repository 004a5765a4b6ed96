"""Visibility: every URL pattern by every persona answers only what the rules allow.

The test enumerates the project's URL patterns; a new URL without a rule here fails it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from avvik.choices import Status
from tests.cases import drive, file_case
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "reporter",
    "handler",
    "hospital_handler",
    "coordinator",
    "council_member",
    "outsider",
    "foreigner",
    "anonymous",
]

# Expected answer per persona: "ok" (2xx, or a redirect that is not to the login page),
# "login" (sent to log in), or a status code.
CASE_READ = {
    "reporter": "ok",
    "handler": "ok",
    "hospital_handler": "ok",
    "coordinator": "ok",
    "council_member": 404,
    "outsider": 404,
    "foreigner": 404,
    "anonymous": "login",
}
PATIENT = {**CASE_READ, "reporter": 403}
COORDINATOR_ONLY = {**CASE_READ, "reporter": 403, "handler": 403, "hospital_handler": 403}
ALERT = {**CASE_READ, "reporter": 403}
ANSWER = {**CASE_READ, "reporter": 403, "hospital_handler": 403, "coordinator": 403}

COUNCIL_SUMMARY = {**COORDINATOR_ONLY}
RULES = {
    "avvik:council_summary": ("POST", COUNCIL_SUMMARY),
    "avvik:detail": ("GET", CASE_READ),
    "avvik:attachment": ("GET", CASE_READ),
    "avvik:patient": ("GET", PATIENT),
    "avvik:access_log": ("GET", COORDINATOR_ONLY),
    "avvik:edit": ("GET", COORDINATOR_ONLY),
    "avvik:comment": ("POST", CASE_READ),
    "avvik:attachment_create": ("POST", CASE_READ),
    "avvik:alert": ("POST", ALERT),
    "avvik:action": ("POST", ANSWER),
}
# URL names whose answers do not depend on a case; covered by the role tests in test_views.py
# and by the list tests below.
LISTS = ["avvik:mine", "avvik:handling", "avvik:triage", "avvik:all"]
NOT_ABOUT_CASES = {
    "avvik:home",
    "avvik:new",
    "avvik:statistics",
    "avvik:organisations",
    "avvik:accessibility",  # the accessibility statement, open to everyone
    "avvik:failed_notifications",  # coordinators only; scoped in test_notifications.py
    "avvik:notification_resend",
    "avvik:preferences",  # the person's own settings
    "avvik:my_access_log",  # the person's own log; scoped in test_security.py
    "avvik:deadlines",  # coordinators only; scoped in test_deadlines.py
    "avvik:report_create",  # council and coordinators; scoped in test_council.py
    "avvik:report",
    "avvik:report_download",
    "avvik:volumes",
    "avvik:deadline_delete",
    "avvik:closure_day_delete",
    "healthz",
    "set_language",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: staff only, covered by its own permission checks
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_has_a_visibility_rule():
    missing = set(url_names()) - set(RULES) - set(LISTS) - NOT_ABOUT_CASES
    assert not missing, f"URL patterns without a visibility rule: {sorted(missing)}"


@pytest.fixture
def case(world, reporter, handler, coordinator):
    deviation = file_case(
        reporter, world.municipality, patient=True, attachment=True, consequence="serious", unexpected=True
    )
    return drive(deviation, Status.IN_PROGRESS, coordinator=coordinator, handler=handler, reporter=reporter)


def request_for(name, case):
    args = [case.reference]
    data = {}
    if name == "avvik:attachment":
        args.append(case.attachments.get().pk)
    if name == "avvik:action":
        args.append("answer")
        data = {
            "answer-version": case.version,
            "answer-cause": "Årsak",
            "answer-measures": "Tiltak",
            "answer-measures_done": "false",
        }
    if name == "avvik:comment":
        data = {"body": "Hei"}
    if name == "avvik:attachment_create":
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {"files": SimpleUploadedFile("logg.txt", b"linje", "text/plain")}
    if name == "avvik:alert":
        data = {"sent_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    return reverse(name, args=args), data


def outcome(response) -> object:
    if response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return "login"
    if response.status_code < 400:
        return "ok"
    return response.status_code


@pytest.mark.parametrize("name", sorted(RULES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_case_urls_answer_by_the_rules(client, request, case, name, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    method, expected = RULES[name]
    url, data = request_for(name, case)
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert outcome(response) == expected[persona], (name, persona, response.status_code)


LIST_SEES_CASE = {
    "avvik:mine": {"reporter"},
    "avvik:handling": {"handler"},
    "avvik:triage": set(),  # the case is past triage
    "avvik:all": {"reporter", "handler", "hospital_handler", "coordinator"},
}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("export", [False, True])
def test_lists_and_exports_show_a_case_only_to_those_who_may_see_it(client, request, case, name, persona, export):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(name), {"format": "csv"} if export else {})
    if persona == "anonymous":
        assert outcome(response) == "login"
        return
    if response.status_code == 403:
        assert persona not in LIST_SEES_CASE[name]
        return
    assert response.status_code == 200
    assert (case.reference in response.getvalue().decode("utf-8-sig")) == (persona in LIST_SEES_CASE[name])


def test_triage_shows_new_cases_to_own_coordinators_only(client, world, reporter, coordinator, foreigner):
    new = file_case(reporter, world.municipality)
    client.force_login(coordinator)
    assert new.reference in client.get(reverse("avvik:triage")).content.decode()
    client.force_login(foreigner)
    assert new.reference not in client.get(reverse("avvik:triage")).content.decode()


def test_the_counterpart_sees_nothing_before_the_case_is_forwarded(client, world, reporter, handler):
    new = file_case(reporter, world.municipality)
    client.force_login(handler)
    assert client.get(reverse("avvik:detail", args=[new.reference])).status_code == 404
    assert new.reference not in client.get(reverse("avvik:all")).content.decode()


def test_an_outsider_gets_404_for_the_attachment(client, case, outsider):
    client.force_login(outsider)
    url = reverse("avvik:attachment", args=[case.reference, case.attachments.get().pk])
    assert client.get(url).status_code == 404


def test_an_attachment_of_another_case_is_not_reachable_through_a_visible_case(
    client, world, case, reporter, other_reporter
):
    counterpart = OrganisationFactory(partnership=world.other_partnership, name="Annen kommune")
    other = file_case(other_reporter, counterpart, attachment=True)
    client.force_login(reporter)
    url = reverse("avvik:attachment", args=[case.reference, other.attachments.get().pk])
    assert client.get(url).status_code == 404


def test_no_get_request_changes_state(client, case, coordinator):
    client.force_login(coordinator)
    for name in ("avvik:action", "avvik:comment", "avvik:attachment_create", "avvik:alert"):
        url, _ = request_for(name, case)
        assert client.get(url).status_code == 405


def test_admin_reads_are_access_logged(client, case, django_user_model):
    from avvik.models import AccessLog

    admin = django_user_model.objects.create_superuser(email="root@example.no", password="x" * 20, full_name="Root")
    client.force_login(admin)
    assert client.get(reverse("admin:avvik_deviation_change", args=[case.pk])).status_code == 200
    assert AccessLog.objects.filter(user=admin, deviation=case).exists()
