import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, validate_organisation_number
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_invalid_organisation_number_is_refused_in_norwegian():
    with pytest.raises(ValidationError) as info:
        validate_organisation_number("123456789")
    assert "organisasjonsnummer" in str(info.value.messages[0])


def test_valid_organisation_number_passes():
    validate_organisation_number("991000100")


def test_organisation_role_needs_an_organisation(world):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=UserFactory(), role=Role.HANDLER, partnership=world.partnership)


def test_partnership_role_takes_no_organisation(world):
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=UserFactory(), role=Role.COORDINATOR, partnership=world.partnership, organisation=world.hospital
        )


def test_membership_organisation_must_belong_to_its_partnership(world):
    membership = Membership(
        user=UserFactory(), role=Role.REPORTER, partnership=world.other_partnership, organisation=world.hospital
    )
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_organisation_names_are_unique_within_a_partnership(world):
    with pytest.raises(IntegrityError):
        OrganisationFactory(partnership=world.partnership, name=world.hospital.name)
