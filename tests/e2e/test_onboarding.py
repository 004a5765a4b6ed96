"""Onboarding from an empty database, in the browser: `create_partnership`, the partnership
administrator accepts, imports the register sample and takes two organisations over from it,
invites an organisation administrator and a coordinator; the organisation administrator imports
five people from a spreadsheet (one bad row: refused, nothing saved; then the fixed file); one of
them accepts and files a case, and the coordinator sees it in Mottak og fordeling.

Every page passes axe-core. Run with SCREENSHOTS=1 to write the pictures of docs/onboarding.md."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image
from playwright.sync_api import expect

from avvik.administration.imports import services as import_services
from avvik.administration.imports.tasks import import_people
from avvik.administration.invitations import token_for
from avvik.administration.models import Invitation, PeopleImport
from avvik.cases.models.deviation import Deviation
from avvik.tenancy.models import Organisation, Partnership
from tests.e2e.helpers import Audit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
REGISTER = ROOT / "avvik/register/samples/adresseregister-demo.csv"
FOLDER = ROOT / "docs" / "screenshots" / "onboarding"
PASSWORD = "Fjordhest-Brunost-42"
HEADER = ["e-post", "navn", "virksomhet", "enhet", "roller"]
PEOPLE = [
    ["kari.nordmann@bergvik.test", "Kari Nordmann", "Bergvik kommune", "", "Melder"],
    ["ola.hansen@bergvik.test", "Ola Hansen", "991001107", "", "Melder, Avviksansvarlig"],
    ["anne.berg@bergvik.test", "Anne Berg", "8020001", "", "leader"],
    ["per.lie@bergvik.test", "Per Lie", "Bergvik kommune", "", "reporter"],
    ["siri.dahl@bergvik.test", "Siri Dahl", "Bergvik kommune", "", "reporter,message_owner"],
]


def shoot(page, name: str) -> None:
    """A picture for docs/onboarding.md, when asked for (1280 by 800 pixels, the top of the page)."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    path = FOLDER / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled")
    # 256 colours are plenty for a page of text, and a third of the size in the repository.
    Image.open(path).convert("RGB").quantize(colors=256).save(path, optimize=True)


def spreadsheet(rows: list[list[str]], path: Path) -> Path:
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def accept(page, audit: Audit, email: str, name: str) -> None:
    invitation = Invitation.objects.filter(email=email).latest("pk")
    page.context.clear_cookies()
    page.goto(f"/invitasjon/{token_for(invitation)}/")
    audit.check(f"accept ({name})")
    if name == "partnership-admin":  # every acceptance page looks alike
        shoot(page, "accept")
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/")


def invite(page, *, name: str, email: str, place: str, role: str) -> None:
    page.goto("/administrasjon/invitasjoner/ny/")
    page.fill("#id_full_name", name)
    page.fill("#id_email", email)
    page.select_option("#id_place", place)
    page.check(f"input[name=roles][value={role}]")
    if role == "org_admin":
        shoot(page, "invite")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/administrasjon/invitasjoner/")


def upload_people(page, audit: Audit, path: Path, name: str) -> None:
    page.goto(reverse("administration:import_upload_page"))
    audit.check("import upload page", phone_width=True)
    page.set_input_files("#id_file", str(path))
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_url("**/administrasjon/import/fil/**")
    audit.check(name, phone_width=True)
    shoot(page, name)


def test_onboarding_from_an_empty_database(page, tmp_path, monkeypatch):
    # The import's task is run below, in the test; nothing is queued.
    monkeypatch.setattr(import_services, "_enqueue", lambda *args, **kwargs: None)
    audit = Audit(page)
    call_command("create_partnership", name="Helsefellesskap Vest", admin_email="pa@vest.test", slug="vest")
    partnership = Partnership.objects.get(slug="vest")
    accept(page, audit, "pa@vest.test", "partnership-admin")

    # The register sample, then two organisations taken over from it.
    page.goto(f"{reverse('register:home')}?p=vest")
    page.set_input_files("#id_file", str(REGISTER))
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_url("**/adresseregister/fil/**")
    shoot(page, "register-preview")
    page.locator("main form[action$='/importer/'] button").click()
    page.wait_for_load_state()
    for her_id, kind in (("8010001", "hospital_trust"), ("8020001", "municipality")):
        page.goto(reverse("partnership_admin:organisation_create"))
        option = page.locator("#id_entry option", has_text=her_id).first
        page.select_option("#id_entry", option.get_attribute("value"))
        page.locator("[data-take-over]").click()
        page.wait_for_load_state()
        expect(page.locator("#id_her_id")).to_have_value(her_id)
        page.select_option("#id_kind", kind)
        if her_id == "8020001":
            shoot(page, "organisation-from-register")
        page.locator("main form[method=post] button[type=submit]").click()
        page.wait_for_load_state()
    bergvik = Organisation.objects.get(partnership=partnership, her_id="8020001")
    assert Organisation.objects.filter(partnership=partnership).count() == 2

    invite(page, name="Olga Admin", email="olga@bergvik.test", place=f"o{bergvik.pk}", role="org_admin")
    invite(page, name="Kåre Koordinator", email="kare@vest.test", place=f"p{partnership.pk}", role="coordinator")
    accept(page, audit, "olga@bergvik.test", "org-admin")

    # A spreadsheet with one bad row: the dry run says which, and nothing can be imported.
    bad = [*PEOPLE[:4], ["siri.dahl@bergvik.test", "Siri Dahl", "Ukjent kommune", "", "reporter"]]
    upload_people(page, audit, spreadsheet(bad, tmp_path / "personer.xlsx"), "import-dry-run-error")
    expect(page.locator("main table")).to_contain_text("Ukjent kommune")
    expect(page.locator("main form[action$='/bekreft/']")).to_have_count(0)
    assert not PeopleImport.objects.exists() and Invitation.objects.count() == 3

    # The fixed file: every row will be invited, the import runs, and its page shows the result.
    upload_people(page, audit, spreadsheet(PEOPLE, tmp_path / "personer-rettet.xlsx"), "import-dry-run")
    page.locator("main form[action$='/bekreft/'] button").click()
    page.wait_for_url("**/administrasjon/import/*/")
    people_import = PeopleImport.objects.get()
    audit.check("import progress")
    import_people(people_import.pk)
    page.reload()
    expect(page.locator("main")).to_contain_text("5")
    audit.check("import done", phone_width=True)
    shoot(page, "import-done")
    assert Invitation.objects.filter(invited_by__email="olga@bergvik.test").count() == 5

    # One of them accepts and files a case about the hospital.
    accept(page, audit, "kari.nordmann@bergvik.test", "reporter")
    page.goto("/avvik/ny/")
    page.fill("#id_title", "Epikrise kom ikke fram")
    page.select_option("#id_consequence", "minor")
    page.select_option("#id_potential_consequence", "moderate")
    page.select_option("#id_category", index=1)
    page.select_option("#id_message_type", "discharge_summary")
    page.fill("#id_description", "Epikrisen var ikke mottatt tre dager etter utskrivning.")
    page.select_option("#id_counterpart", label="Demo sykehus HF")
    shoot(page, "filing")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    deviation = Deviation.objects.get()

    # The coordinator accepts and sees it in Mottak og fordeling.
    accept(page, audit, "kare@vest.test", "coordinator")
    page.goto("/avvik/triage/")
    expect(page.locator("main")).to_contain_text(deviation.reference)
    shoot(page, "intake")
    audit.assert_clean()
