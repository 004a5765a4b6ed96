"""People administration in the browser: a new partnership's administrator accepts the first
invitation, invites an organisation administrator, who accepts and invites a handler. Every page
passes axe-core. Fields are found by their ids, so the test reads the same in every language."""

import pytest
from django.core.management import call_command

from avvik.administration.invitations import token_for
from avvik.administration.models import Invitation
from avvik.tenancy.models import Partnership
from tests.e2e.helpers import Audit
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.e2e

PASSWORD = "Fjordhest-Brunost-42"


def accept(page, audit: Audit, email: str, name: str) -> None:
    invitation = Invitation.objects.filter(email=email).latest("pk")
    page.context.clear_cookies()
    page.goto(f"/invitasjon/{token_for(invitation)}/")
    audit.check(f"accept ({name})", phone_width=True)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/")
    assert "/invitasjon/" not in page.url


def invite(page, audit: Audit, *, name: str, email: str, place: str, role: str) -> None:
    page.goto("/administrasjon/invitasjoner/ny/")
    page.fill("#id_full_name", name)
    page.fill("#id_email", email)
    page.select_option("#id_place", place)
    page.check(f"input[name=roles][value={role}]")
    audit.check(f"invite ({role})", phone_width=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/administrasjon/invitasjoner/")
    assert email in page.content()
    audit.check("invitations", phone_width=True)


def test_from_a_new_partnership_to_a_handler_invited_by_the_organisation(page, transactional_db):
    audit = Audit(page)
    call_command("create_partnership", name="Helsefellesskap Vest", admin_email="pa@vest.test", slug="vest")
    accept(page, audit, "pa@vest.test", "partnership administrator")

    municipality = OrganisationFactory(partnership=Partnership.objects.get(slug="vest"), name="Vestvik kommune")
    invite(page, audit, name="Olga Admin", email="olga@vestvik.test", place=f"o{municipality.pk}", role="org_admin")
    page.goto("/administrasjon/logg/")
    audit.check("change log")
    accept(page, audit, "olga@vestvik.test", "organisation administrator")

    invite(page, audit, name="Hanne Handler", email="hanne@vestvik.test", place=f"o{municipality.pk}", role="handler")
    invitation = Invitation.objects.get(email="hanne@vestvik.test")
    assert invitation.invited_by.email == "olga@vestvik.test"
    assert invitation.organisation == municipality
    page.goto("/administrasjon/personer/")
    assert "olga@vestvik.test" in page.content()
    audit.check("people", phone_width=True)
    audit.assert_clean()
