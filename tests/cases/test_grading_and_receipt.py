"""The actual and potential consequence, and the AppRec error code, on the filing and edit forms and in
the service behind them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from avvik.cases import services
from avvik.cases.models.deviation import Deviation
from avvik.catalogue.models import Category
from tests.builders import file_case, filing_form_data


def _message_form_data(world, **overrides):
    category = Category.objects.get(partnership=world.partnership, name="Laboratoriesvar")
    return filing_form_data(world, category=category, message_type="lab_result", **overrides)


def test_a_new_case_needs_its_potential_consequence(client, world, reporter):
    client.force_login(reporter)
    response = client.post(reverse("cases:new"), filing_form_data(world, potential_consequence=""))
    assert response.status_code == 200
    assert "potential_consequence" in response.context["form"].errors
    # Nothing typed is lost.
    assert "Ringte avdelingen." in response.content.decode()
    assert not Deviation.objects.exists()


def test_the_potential_consequence_cannot_be_below_the_actual_one(client, world, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("cases:new"), filing_form_data(world, consequence="moderate", potential_consequence="minor")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["potential_consequence"]
    assert '<option value="minor" selected>' in response.content.decode()


def test_a_case_is_filed_with_a_potential_consequence_above_the_actual_one(client, world, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("cases:new"), filing_form_data(world, consequence="minor", potential_consequence="very_serious")
    )
    assert response.status_code == 302
    case = Deviation.objects.get()
    assert (case.consequence, case.potential_consequence) == ("minor", "very_serious")
    # Very serious only as a potential: no statutory alert is due for what did not happen.
    assert not case.is_serious


def test_an_apprec_error_code_is_kept_with_a_negative_receipt(client, world, reporter):
    client.force_login(reporter)
    data = _message_form_data(world, apprec="negative", apprec_error_code=" e21 ", channel="health_network")
    response = client.post(reverse("cases:new"), data)
    assert response.status_code == 302
    case = Deviation.objects.get()
    assert (case.apprec, case.apprec_error_code, case.channel) == ("negative", "E21", "health_network")
    detail = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "E21" in detail


@pytest.mark.parametrize("apprec", ["", "received", "missing"])
def test_an_apprec_error_code_without_a_negative_receipt_is_refused_with_a_message(client, world, reporter, apprec):
    client.force_login(reporter)
    response = client.post(reverse("cases:new"), _message_form_data(world, apprec=apprec, apprec_error_code="E21"))
    assert response.status_code == 200
    assert "negativ" in " ".join(response.context["form"].errors["apprec_error_code"])
    assert 'value="E21"' in response.content.decode()


def test_the_form_lists_common_apprec_error_codes(client, world, reporter):
    client.force_login(reporter)
    body = client.get(reverse("cases:new")).content.decode()
    assert '<datalist id="apprec-error-codes">' in body
    assert '<option value="E35">' in body


def test_the_service_refuses_an_error_code_without_a_negative_receipt(world, reporter):
    with pytest.raises(ValidationError) as refused:
        file_case(reporter, world.municipality, apprec="received", apprec_error_code="E21")
    assert "apprec_error_code" in refused.value.message_dict


def test_the_service_refuses_a_correction_that_lowers_the_potential_below_the_actual(world, reporter):
    case = file_case(reporter, world.municipality, consequence="minor", potential_consequence="moderate")
    with pytest.raises(ValidationError) as refused:
        services.deviation_update(
            deviation=case, by=reporter, version=case.version, changes={"consequence": "significant"}
        )
    assert "potential_consequence" in refused.value.message_dict
