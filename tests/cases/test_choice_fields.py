"""The filing forms' unit fields: the units grouped by organisation, read once however often the
form is drawn, each option naming its organisation for the unit filter script."""

import re

import pytest
from django import forms

from avvik.cases.forms.choice_fields import GroupedUnitChoiceField
from avvik.tenancy.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


class UnitForm(forms.Form):
    unit = GroupedUnitChoiceField(
        queryset=Unit.objects.order_by("organisation__name", "name"), required=False, empty_label="Ukjent"
    )


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
