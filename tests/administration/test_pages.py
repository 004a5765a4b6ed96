"""The people pages: inviting, accepting, the change log and what each administrator reads in it."""

from auditlog.models import LogEntry
from django.urls import reverse

from avvik.administration.invitations import token_for
from avvik.administration.models import Invitation
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, User
from tests.factories import UserFactory, grant

PASSWORD = "Fjordhest-Brunost-42"


def invite_through_the_page(client, world, email="ny@kommune.test"):
    return client.post(
        reverse("administration:invitation_create"),
        {"full_name": "Nora Ny", "email": email, "place": f"o{world.municipality.pk}", "roles": [Role.HANDLER]},
    )


def test_an_invitation_from_the_page_can_be_accepted_and_the_person_is_signed_in(client, world, org_admin):
    client.force_login(org_admin)
    response = invite_through_the_page(client, world)
    assert response.url == reverse("administration:invitations")
    invitation = Invitation.objects.get()
    assert "ny@kommune.test" in client.get(response.url).content.decode()
    client.logout()
    url = reverse("administration:invitation_accept", args=[token_for(invitation)])
    page = client.get(url).content.decode()
    assert world.municipality.name in page
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.url == reverse("pages:home")
    assert client.get(reverse("cases:handling")).status_code == 200
    # Once used, the link says so and who to ask.
    page = client.get(url)
    assert page.status_code == 410
    assert org_admin.email in page.content.decode()


def test_a_refused_invitation_keeps_what_was_typed(client, world, org_admin, handler):
    client.force_login(org_admin)
    response = invite_through_the_page(client, world, email=handler.email)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nora Ny" in page
    assert handler.email in page


def test_a_mismatched_password_keeps_the_link_valid(client, world, org_admin):
    client.force_login(org_admin)
    invite_through_the_page(client, world)
    client.logout()
    url = reverse("administration:invitation_accept", args=[token_for(Invitation.objects.get())])
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"})
    assert response.status_code == 400
    assert not Membership.objects.filter(user__email="ny@kommune.test").exists()


def test_the_change_log_names_who_invited_and_who_gave_a_role(client, world, org_admin, counterpart_reporter):
    client.force_login(org_admin)
    invite_through_the_page(client, world)
    client.post(
        reverse("administration:role_grant", args=[counterpart_reporter.pk]),
        {"place": f"o{world.municipality.pk}", "role": Role.LEADER},
    )
    entries = LogEntry.objects.filter(actor=org_admin)
    assert {entry.content_type.model for entry in entries} >= {"invitation", "membership"}
    page = client.get(reverse("administration:audit_log"), {"model": "membership"}).content.decode()
    assert counterpart_reporter.full_name in page


def test_each_administrator_reads_only_the_changes_in_reach(client, world, org_admin, partnership_admin):
    client.force_login(org_admin)
    invite_through_the_page(client, world, email="kommune.ny@kommune.test")
    hospital_admin = UserFactory(email="admin@sykehus.test")
    grant(hospital_admin, Role.ORG_ADMIN, organisation=world.hospital)
    foreign_admin = UserFactory(email="admin@annet.test")
    grant(foreign_admin, Role.PARTNERSHIP_ADMIN, partnership=world.other_partnership)
    for reader, sees in ((partnership_admin, True), (hospital_admin, False), (foreign_admin, False)):
        client.force_login(reader)
        page = client.get(reverse("administration:audit_log"), {"model": "invitation"}).content.decode()
        assert ("kommune.ny@kommune.test" in page) is sees, reader


def test_the_change_log_refuses_dates_in_the_wrong_order(client, world, org_admin):
    client.force_login(org_admin)
    response = client.get(reverse("administration:audit_log"), {"date_from": "2026-11-30", "date_to": "2026-11-01"})
    assert response.status_code == 400


def test_deactivating_asks_first_and_says_what_happens_to_roles_elsewhere(client, world, org_admin, reporter):
    grant(reporter, Role.HANDLER, organisation=world.municipality)
    client.force_login(org_admin)
    url = reverse("administration:person_deactivate", args=[reporter.pk])
    # The page explains that roles elsewhere stay (it counts them, names none).
    assert client.get(url).context["elsewhere"] == 1
    client.post(url)
    assert User.objects.get(pk=reporter.pk).is_active
    assert not Membership.objects.filter(user=reporter, organisation=world.municipality).exists()


def test_the_people_list_searches_and_filters_by_role(client, world, org_admin, handler, leader):
    client.force_login(org_admin)
    page = client.get(reverse("administration:people"), {"role": Role.LEADER}).content.decode()
    assert leader.email in page
    assert handler.email not in page
    page = client.get(reverse("administration:people"), {"q": handler.email[:8]}).content.decode()
    assert handler.email in page
