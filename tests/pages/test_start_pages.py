"""Start pages per role, navigation by role, and the wall between partnerships."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("persona", "start_page"),
    [
        ("reporter", "cases:mine"),
        ("handler", "cases:handling"),
        ("coordinator", "cases:triage"),
        ("council_member", "council:statistics"),
    ],
)
def test_each_role_lands_on_its_start_page(client, request, persona, start_page):
    user = request.getfixturevalue(persona)
    response = login(client, user)
    assert response.redirect_chain[-1][0] == reverse(start_page)


def test_login_accepts_the_address_in_capitals(client, reporter):
    response = client.post(reverse("login"), {"username": reporter.email.upper(), "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_gets_a_norwegian_message_and_keeps_the_address(client, reporter):
    response = client.post(reverse("login"), {"username": reporter.email, "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "korrekt" in body  # Django's nb text: "Vennligst oppgi korrekt ..."
    assert reporter.email in body


def test_person_without_a_role_is_told_so(client, nobody):
    client.force_login(nobody)
    response = client.get(reverse("pages:home"))
    assert response.status_code == 200
    assert "Du har ingen rolle ennå" in response.content.decode()


def test_superuser_without_roles_goes_to_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.no", password=PASSWORD, full_name="Root")
    client.force_login(admin)
    assert client.get(reverse("pages:home")).url == reverse("admin:index")


@pytest.mark.parametrize("name", ["pages:home", "cases:mine", "cases:triage", "council:statistics", "admin:index"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) or "/admin/login/" in response.url


@pytest.mark.parametrize(
    ("persona", "forbidden"),
    [
        ("reporter", ["cases:handling", "cases:triage", "council:statistics"]),
        ("handler", ["cases:mine", "cases:new", "cases:triage", "council:statistics"]),
        ("council_member", ["cases:mine", "cases:handling", "cases:triage"]),
        ("nobody", ["cases:mine", "cases:handling", "cases:triage", "council:statistics", "pages:organisations"]),
    ],
)
def test_pages_of_other_roles_are_forbidden(client, request, persona, forbidden):
    client.force_login(request.getfixturevalue(persona))
    for name in forbidden:
        assert client.get(reverse(name)).status_code == 403, name


def test_navigation_shows_what_the_roles_allow(client, reporter):
    client.force_login(reporter)
    body = client.get(reverse("cases:mine")).content.decode()
    assert reverse("cases:new") in body
    assert reverse("cases:triage") not in body
    assert reverse("council:statistics") not in body


def test_every_link_on_every_start_page_works(client, reporter, handler, coordinator, council_member):
    for user in (reporter, handler, coordinator, council_member):
        client.force_login(user)
        start = client.get(reverse("pages:home"), follow=True)
        hrefs = set(_links(start.content.decode()))
        assert hrefs
        for href in hrefs:
            assert client.get(href, follow=True).status_code == 200, (user.email, href)


def _links(html: str):
    import re

    for href in re.findall(r'href="(/[^"]*)"', html):
        if not href.startswith("/static/"):
            yield href


def test_organisation_list_shows_own_partnership_only(client, world, reporter, foreigner):
    client.force_login(reporter)
    body = client.get(reverse("pages:organisations")).content.decode()
    assert world.municipality.name in body
    assert world.other_org.name not in body
    assert "Fremmed avdeling" not in body

    client.force_login(foreigner)
    body = client.get(reverse("pages:organisations")).content.decode()
    assert world.other_org.name in body
    assert world.hospital.name not in body and world.municipality.name not in body


def test_statistics_names_only_own_partnership(client, world, council_member, foreigner):
    client.force_login(council_member)
    body = client.get(reverse("council:statistics")).content.decode()
    assert world.partnership.name in body and world.other_partnership.name not in body

    client.force_login(foreigner)
    body = client.get(reverse("council:statistics")).content.decode()
    assert world.other_partnership.name in body and world.partnership.name not in body


def test_logout_ends_the_session(client, reporter):
    client.force_login(reporter)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("cases:mine")).status_code == 302


def test_password_reset_page_uses_our_template(client):
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    assert "Tilbakestill passord" in response.content.decode()


def test_password_reset_sends_a_link_without_revealing_whether_the_account_exists(client, reporter, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": reporter.email}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "ingen@example.no"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_a_nynorsk_organisation_gets_nynorsk_until_the_person_chooses(client, world, handler):
    world.municipality.written_form = "nn"
    world.municipality.save()
    client.force_login(handler)
    assert "Til behandling" in client.get(reverse("cases:handling")).content.decode()
    assert client.get(reverse("cases:handling")).headers["Content-Language"] == "nn"
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("cases:handling")})
    assert response.status_code == 302
    handler.refresh_from_db()
    assert handler.language == "en"
    assert client.get(reverse("cases:handling")).headers["Content-Language"] == "en"


def test_the_language_switch_works_before_login(client):
    response = client.post(reverse("set_language"), {"language": "nn", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.get("/accounts/login/").headers["Content-Language"] == "nn"
