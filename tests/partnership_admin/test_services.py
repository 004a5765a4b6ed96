"""The partnership administrator's writes: who may make them, and the rules they keep."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from avvik.catalogue.models import Category
from avvik.partnership_admin import services
from avvik.tenancy.choices import OrganisationKind, WrittenForm
from avvik.tenancy.models import Organisation

pytestmark = pytest.mark.django_db

VALID_ORGNR = "974760673"


def organisation_data(**changes):
    return {
        "name": "Nyby kommune",
        "kind": OrganisationKind.MUNICIPALITY,
        "organisation_number": VALID_ORGNR,
        "her_id": "8100001",
        "written_form": WrittenForm.NYNORSK,
        **changes,
    }


def test_an_administrator_creates_an_organisation_in_their_partnership(world, partnership_admin):
    organisation = services.organisation_save(
        by=partnership_admin, partnership=world.partnership, data=organisation_data()
    )
    assert organisation.partnership == world.partnership
    assert organisation.written_form == WrittenForm.NYNORSK
    assert organisation.is_active


def test_a_coordinator_may_not_create_an_organisation(world, coordinator):
    with pytest.raises(PermissionDenied):
        services.organisation_save(by=coordinator, partnership=world.partnership, data=organisation_data())
    assert not Organisation.objects.filter(name="Nyby kommune").exists()


def test_an_administrator_may_not_change_another_partnerships_organisation(world, partnership_admin):
    with pytest.raises(PermissionDenied):
        services.organisation_save(
            by=partnership_admin, partnership=world.other_partnership, organisation=world.other_org, data={"name": "X"}
        )
    world.other_org.refresh_from_db()
    assert world.other_org.name == "Annet sykehus HF"


def test_a_her_id_another_organisation_has_is_refused(world, partnership_admin):
    with pytest.raises(ValidationError) as refused:
        services.organisation_save(
            by=partnership_admin, partnership=world.partnership, data=organisation_data(her_id=world.hospital.her_id)
        )
    assert "her_id" in refused.value.message_dict


def test_a_her_id_a_unit_has_is_refused_for_an_organisation(world, partnership_admin):
    unit = world.hospital.units.get()
    unit.her_id = "8100002"
    unit.save()
    with pytest.raises(ValidationError) as refused:
        services.organisation_save(
            by=partnership_admin, partnership=world.partnership, data=organisation_data(her_id="8100002")
        )
    assert "her_id" in refused.value.message_dict


def test_an_organisation_keeps_its_own_her_id_when_edited(world, partnership_admin):
    services.organisation_save(
        by=partnership_admin,
        partnership=world.partnership,
        organisation=world.hospital,
        data={"name": "Nytt navn HF", "her_id": world.hospital.her_id},
    )
    world.hospital.refresh_from_db()
    assert world.hospital.name == "Nytt navn HF"


def test_the_same_her_id_in_another_partnership_is_allowed(world, partnership_admin):
    organisation = services.organisation_save(
        by=partnership_admin, partnership=world.partnership, data=organisation_data(her_id=world.other_org.her_id)
    )
    assert organisation.her_id == world.other_org.her_id


def test_a_name_the_partnership_has_is_refused(world, partnership_admin):
    with pytest.raises(ValidationError):
        services.organisation_save(
            by=partnership_admin, partnership=world.partnership, data=organisation_data(name=world.municipality.name)
        )


def test_deactivating_keeps_the_organisation_and_is_audit_logged(world, partnership_admin):
    services.active_set(by=partnership_admin, row=world.municipality, active=False)
    world.municipality.refresh_from_db()
    assert not world.municipality.is_active
    assert LogEntry.objects.get_for_object(world.municipality).filter(changes__icontains="is_active").exists()


def test_a_unit_is_created_and_deactivated(world, partnership_admin):
    unit = services.unit_save(
        by=partnership_admin, organisation=world.municipality, data={"name": "Sykehjemmet", "her_id": ""}
    )
    services.active_set(by=partnership_admin, row=unit, active=False)
    unit.refresh_from_db()
    assert unit.organisation == world.municipality
    assert not unit.is_active


def test_a_unit_of_another_partnership_is_refused(world, partnership_admin):
    with pytest.raises(PermissionDenied):
        services.unit_save(by=partnership_admin, organisation=world.other_org, data={"name": "Fremmed"})


def test_a_category_with_names_per_language_is_audit_logged(world, partnership_admin):
    category = services.category_save(
        by=partnership_admin,
        partnership=world.partnership,
        data={"name": "Legemiddelliste", "name_nn": "Legemiddelliste nn", "name_en": "Medication list", "position": 7},
    )
    assert Category.objects.get(pk=category.pk).name_en == "Medication list"
    assert LogEntry.objects.get_for_object(category).exists()


def test_a_clause_is_created_and_deactivated(world, partnership_admin):
    clause = services.clause_save(
        by=partnership_admin,
        partnership=world.partnership,
        data={"document": "Retningslinje 4", "code": "9.9 z)", "title": "Prøvepunkt"},
    )
    services.active_set(by=partnership_admin, row=clause, active=False)
    clause.refresh_from_db()
    assert not clause.is_active


def test_the_partnership_settings_take_the_council_name(world, partnership_admin):
    services.partnership_settings_save(
        by=partnership_admin, partnership=world.partnership, data={"council_name": "SSU"}
    )
    world.partnership.refresh_from_db()
    assert world.partnership.council_title == "SSU"


def test_the_small_count_threshold_is_not_changed_here(world, partnership_admin):
    with pytest.raises(ValueError):
        services.partnership_settings_save(
            by=partnership_admin, partnership=world.partnership, data={"small_count_threshold": 2}
        )
