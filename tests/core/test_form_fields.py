"""Model choices read once per form: however often a form is drawn, and each form its own."""

import pytest
from django import forms

from avvik.catalogue.models import Category
from avvik.core.form_fields import ReadOnceChoiceField, read_once
from avvik.tenancy.models import Organisation

pytestmark = pytest.mark.django_db


class OrganisationForm(forms.Form):
    organisation = ReadOnceChoiceField(queryset=Organisation.objects.order_by("name"))
    category = forms.ModelChoiceField(queryset=Category.objects.all())


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
