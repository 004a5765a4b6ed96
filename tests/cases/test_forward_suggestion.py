"""Intake and routing suggests the responsible organisation from the clause, says why, and lets the
coordinator choose another."""

from django.urls import reverse
from django.utils import translation

from avvik.cases.forms.actions import ForwardForm
from avvik.catalogue.models import AgreementClause, Category
from tests.builders import drive, file_case


def _clause(world, code):
    return AgreementClause.objects.get(partnership=world.partnership, code=code)


def test_a_municipality_clause_preselects_the_municipality_though_it_reported(world, counterpart_reporter, coordinator):
    case = file_case(counterpart_reporter, world.hospital, clause=_clause(world, "6.3 b)"))
    with translation.override("en"):
        form = ForwardForm(deviation=case, user=coordinator)
        assert form.initial["to"] == world.municipality.pk
        assert form.fields["to"].help_text == "Suggested from point 6.3: the municipality's duty"


def test_the_category_s_clause_suggests_when_the_reporter_chose_none(world, reporter, coordinator):
    laboratory = Category.objects.get(partnership=world.partnership, name="Laboratoriesvar")
    case = file_case(reporter, world.municipality, category=laboratory, message_type="lab_result")
    form = ForwardForm(deviation=case, user=coordinator)
    assert form.initial["to"] == world.hospital.pk


def test_a_shared_clause_suggests_nothing_and_keeps_the_other_party(world, reporter, coordinator):
    case = file_case(reporter, world.municipality, clause=_clause(world, "6.1.2 a)"))
    form = ForwardForm(deviation=case, user=coordinator)
    assert form.initial["to"] == world.municipality.pk
    assert not form.fields["to"].help_text


def test_the_coordinator_can_forward_to_another_than_the_suggestion(client, world, reporter, coordinator):
    case = file_case(reporter, world.municipality, clause=_clause(world, "6.2 e)"))
    client.force_login(coordinator)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "6.2" in page
    response = client.post(
        reverse("cases:action", args=[case.reference, "forward"]),
        {
            "forward-to": world.municipality.pk,
            "forward-category": case.category_id,
            "forward-note": "",
            "forward-version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.responsible_organisation == world.municipality


def test_once_chosen_the_responsible_organisation_is_not_suggested_again(world, reporter, coordinator, handler):
    case = file_case(reporter, world.municipality, clause=_clause(world, "6.2 e)"))
    case = drive(case, "forwarded", coordinator=coordinator, handler=handler, reporter=reporter)
    assert case.responsible_organisation == world.municipality
    form = ForwardForm(deviation=case, user=coordinator)
    assert form.suggestion is None
