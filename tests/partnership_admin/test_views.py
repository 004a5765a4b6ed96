"""The partnership administrator's pages: forms that keep what was typed and say what is wrong in
Norwegian, rows of another partnership that do not exist (404), and the register copy as a start."""

import pytest
from django.urls import reverse

from avvik.catalogue.models import AgreementClause, Category
from avvik.register.services import register_import
from avvik.tenancy.models import Organisation, Unit
from tests.register.helpers import csv_text

pytestmark = pytest.mark.django_db

VALID_ORGNR = "974760673"


def organisation_form(**changes):
    return {
        "name": "Nyby kommune",
        "kind": "municipality",
        "organisation_number": VALID_ORGNR,
        "her_id": "8100001",
        "written_form": "nn",
        **changes,
    }


@pytest.fixture
def admin_client(client, partnership_admin):
    client.force_login(partnership_admin)
    return client


def test_an_administrator_creates_an_organisation(admin_client, world):
    response = admin_client.post(f"{reverse('partnership_admin:organisation_create')}?p=test", organisation_form())
    assert response.status_code == 302
    assert Organisation.objects.get(name="Nyby kommune").partnership == world.partnership


def test_a_bad_organisation_number_is_explained_in_norwegian_and_the_form_kept(admin_client, world):
    response = admin_client.post(
        reverse("partnership_admin:organisation_create"), organisation_form(organisation_number="974760674")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "974760674 er ikke et gyldig organisasjonsnummer" in page
    assert 'value="Nyby kommune"' in page
    assert not Organisation.objects.filter(name="Nyby kommune").exists()


def test_an_organisation_number_of_eight_digits_is_refused(admin_client, world):
    response = admin_client.post(
        reverse("partnership_admin:organisation_create"), organisation_form(organisation_number="97476067")
    )
    assert response.status_code == 400
    assert "organisation_number" in response.context["form"].errors


def test_a_duplicate_her_id_is_refused_on_its_field(admin_client, world):
    response = admin_client.post(
        reverse("partnership_admin:organisation_create"), organisation_form(her_id=world.hospital.her_id)
    )
    assert response.status_code == 400
    assert "her_id" in response.context["form"].errors
    assert 'value="Nyby kommune"' in response.content.decode()


def test_names_are_required(admin_client, world):
    response = admin_client.post(reverse("partnership_admin:organisation_create"), organisation_form(name=""))
    assert response.status_code == 400
    assert "Dette feltet er påkrevd." in response.content.decode()
    response = admin_client.post(reverse("partnership_admin:category_create"), {"name": "", "position": 1})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors


def test_an_organisation_is_taken_over_from_the_register_copy(admin_client, world):
    register_import(
        partnership=world.partnership,
        data=csv_text("8200001,,organisation,Registervik kommune,,dialogue").encode(),
        source="ar.csv",
        by=None,
    )
    url = reverse("partnership_admin:organisation_create")
    entry_id = admin_client.get(url).context["pick"].fields["entry"].queryset.get().pk
    page = admin_client.get(url, {"p": "test", "entry": entry_id}).content.decode()
    assert 'value="Registervik kommune"' in page
    assert 'value="8200001"' in page


def test_the_register_offers_no_organisation_the_partnership_already_has(admin_client, world):
    register_import(
        partnership=world.partnership,
        data=csv_text(f"{world.hospital.her_id},,organisation,{world.hospital.name},,dialogue").encode(),
        source="ar.csv",
        by=None,
    )
    assert admin_client.get(reverse("partnership_admin:organisation_create")).context["pick"] is None


def test_another_partnerships_rows_are_404(admin_client, world):
    other_unit = world.other_org.units.get()
    other_category = Category.objects.filter(partnership=world.other_partnership).first()
    other_clause = AgreementClause.objects.filter(partnership=world.other_partnership).first()
    for name, pk in [
        ("organisation_edit", world.other_org.pk),
        ("units", world.other_org.pk),
        ("unit_create", world.other_org.pk),
        ("unit_edit", other_unit.pk),
        ("category_edit", other_category.pk),
        ("clause_edit", other_clause.pk),
    ]:
        assert admin_client.get(reverse(f"partnership_admin:{name}", args=[pk])).status_code == 404, name
    for name, pk in [
        ("organisation_active", world.other_org.pk),
        ("unit_active", other_unit.pk),
        ("category_active", other_category.pk),
        ("clause_active", other_clause.pk),
    ]:
        response = admin_client.post(reverse(f"partnership_admin:{name}", args=[pk]), {"active": "0"})
        assert response.status_code == 404, name
    assert admin_client.get(reverse("partnership_admin:organisations"), {"p": "annet"}).status_code == 404
    world.other_org.refresh_from_db()
    assert world.other_org.is_active


def test_an_inactive_organisation_is_not_offered_on_the_filing_form(admin_client, world, reporter):
    admin_client.post(reverse("partnership_admin:organisation_active", args=[world.bystander_org.pk]), {"active": "0"})
    admin_client.force_login(reporter)
    form = admin_client.get(reverse("cases:new")).context["form"]
    assert world.bystander_org not in form.fields["counterpart"].queryset
    assert world.municipality in form.fields["counterpart"].queryset


def test_a_unit_is_added_and_listed(admin_client, world):
    response = admin_client.post(
        reverse("partnership_admin:unit_create", args=[world.municipality.pk]), {"name": "Sykehjemmet", "her_id": ""}
    )
    assert response.status_code == 302
    assert Unit.objects.filter(organisation=world.municipality, name="Sykehjemmet").exists()
    assert "Sykehjemmet" in admin_client.get(response.url).content.decode()


def test_the_settings_page_shows_the_threshold_and_saves_the_council_name(admin_client, world):
    page = admin_client.get(reverse("partnership_admin:settings")).content.decode()
    assert "data-small-count-threshold" in page
    response = admin_client.post(
        reverse("partnership_admin:settings"),
        {"p": "test", "name": world.partnership.name, "written_form": "nb", "council_name": "OSO"},
    )
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.council_name == "OSO"


def test_list_pages_take_few_queries(admin_client, world, django_assert_max_num_queries):
    for extra in range(3):
        Unit.objects.create(organisation=world.hospital, name=f"Avdeling {extra}")
    for name in ("organisations", "categories", "clauses"):
        with django_assert_max_num_queries(20):
            assert admin_client.get(reverse(f"partnership_admin:{name}")).status_code == 200
