"""The filing forms' choice fields: choices read once however often a form is drawn, and the units
grouped by organisation, each option naming its organisation for the unit filter script."""

import re

import pytest
from django import forms

from avvik.cases.forms.choice_fields import GroupedUnitChoiceField, ReadOnceChoiceField, read_once
from avvik.catalogue.models import Category
from avvik.tenancy.models import Organisation, Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


class OrganisationForm(forms.Form):
    organisation = ReadOnceChoiceField(queryset=Organisation.objects.order_by("name"))
    category = forms.ModelChoiceField(queryset=Category.objects.all())


class UnitForm(forms.Form):
    unit = GroupedUnitChoiceField(
        queryset=Unit.objects.order_by("organisation__name", "name"), required=False, empty_label="Ukjent"
    )


def test_a_read_once_field_reads_its_choices_once_however_often_the_form_is_drawn(world, django_assert_num_queries):
    form = OrganisationForm()
    del form.fields["category"]
    with django_assert_num_queries(1):
        first, second = str(form["organisation"]), str(form["organisation"])
    assert first == second
    assert f'<option value="{world.municipality.pk}">Testvik kommune</option>' in first


def test_read_once_makes_a_plain_model_choice_field_read_once(world, django_assert_num_queries):
    form = OrganisationForm()
    del form.fields["organisation"]
    with django_assert_num_queries(2):  # Django's own iterator reads the table on every drawing
        str(form["category"]), str(form["category"])
    form = OrganisationForm()
    del form.fields["organisation"]
    read_once(form.fields["category"])  # type: ignore[arg-type]  # a ModelChoiceField
    with django_assert_num_queries(1):
        str(form["category"]), str(form["category"])


def test_each_form_reads_its_own_choices(world):
    assert "Testvik kommune" in str(OrganisationForm()["organisation"])
    Organisation.objects.filter(pk=world.municipality.pk).update(name="Nyvik kommune")
    assert "Nyvik kommune" in str(OrganisationForm()["organisation"])


def test_the_units_come_in_one_group_per_organisation_each_naming_its_organisation(world, django_assert_num_queries):
    legevakta = UnitFactory(organisation=world.municipality, name="Legevakta")
    with django_assert_num_queries(1):
        select = str(UnitForm()["unit"])
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S))
    assert set(groups) >= {"Testvik kommune", world.hospital.name}
    municipality = groups["Testvik kommune"]
    assert re.findall(r">([^<]+)</option>", municipality) == ["Hjemmetjenesten", "Legevakta"]
    assert f'<option value="{legevakta.pk}" data-organisation="{world.municipality.pk}">Legevakta</option>' in (
        municipality
    )
    assert select.index('<option value="" selected>Ukjent</option>') < select.index("<optgroup")


def test_a_chosen_unit_is_drawn_selected_and_cleans_to_the_unit(world):
    legevakta = UnitFactory(organisation=world.municipality, name="Legevakta")
    form = UnitForm(data={"unit": str(legevakta.pk)})
    assert form.is_valid()
    assert form.cleaned_data["unit"] == legevakta
    assert (
        f'<option value="{legevakta.pk}" selected data-organisation="{world.municipality.pk}">Legevakta</option>'
        in str(form["unit"])
    )
    assert str(form["unit"]).count(" selected") == 1
