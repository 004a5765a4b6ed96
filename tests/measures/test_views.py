"""The measures pages: adding on the case page, following up, the list's scope and filters, and the
close confirmation that names the open measures."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from avvik.cases import services as case_services
from avvik.measures.choices import MeasureStatus
from avvik.measures.models import Measure
from avvik.measures.services import measure_add
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db

TODAY = "2026-11-24 10:00 +01:00"
TODAY_DUE = date(2026, 12, 15)


@time_machine.travel(TODAY, tick=False)
def test_the_responsible_handler_adds_a_measure_from_the_case_page(client, world, case, handler):
    client.force_login(handler)
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert reverse("measures:create", args=[case.reference]) in page.content.decode()
    response = client.post(
        reverse("measures:create", args=[case.reference]),
        {
            "measure-what": "Oppdatere adresselisten.",
            "measure-responsible_organisation": world.municipality.pk,
            "measure-responsible_person": "",
            "measure-due_date": "2026-12-15",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    assert Measure.objects.get(deviation=case).what == "Oppdatere adresselisten."
    assert "Oppdatere adresselisten." in client.get(response["Location"]).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_bad_input_keeps_what_was_typed_and_says_why(client, world, case, handler):
    client.force_login(handler)
    response = client.post(
        reverse("measures:create", args=[case.reference]),
        {
            "measure-what": "Rutine for epikriser.",
            "measure-responsible_organisation": world.municipality.pk,
            "measure-due_date": "2026-11-01",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Rutine for epikriser." in content
    assert response.context["form"].errors["due_date"]
    assert 'id="error-summary"' in content
    assert not Measure.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_reporter_may_not_add_a_measure(client, world, case, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("measures:create", args=[case.reference]),
        {
            "measure-what": "X",
            "measure-responsible_organisation": world.municipality.pk,
            "measure-due_date": "2026-12-15",
        },
    )
    assert response.status_code == 403
    assert not Measure.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_marking_a_measure_carried_out(client, measure, handler):
    client.force_login(handler)
    url = reverse("measures:detail", args=[measure.pk])
    response = client.post(url, {"status": "carried_out", "effect": "not_evaluated"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.CARRIED_OUT


@time_machine.travel(TODAY, tick=False)
def test_dropping_without_a_reason_is_refused_on_the_page(client, measure, handler):
    client.force_login(handler)
    response = client.post(
        reverse("measures:detail", args=[measure.pk]), {"status": "dropped", "effect": "not_evaluated"}
    )
    assert response.status_code == 400
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.AGREED


@time_machine.travel(TODAY, tick=False)
def test_the_other_party_reads_a_measure_without_the_form(client, measure, hospital_handler):
    client.force_login(hospital_handler)
    url = reverse("measures:detail", args=[measure.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()
    assert client.post(url, {"status": "carried_out", "effect": "not_evaluated"}).status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_an_outsider_gets_404(client, measure, outsider):
    client.force_login(outsider)
    assert client.get(reverse("measures:detail", args=[measure.pk])).status_code == 404


@pytest.fixture
def hospital_measure(world, reporter, coordinator, hospital_handler, counterpart_reporter):
    """A case the municipality filed about the hospital, with a measure the hospital owns."""
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        case = file_case(counterpart_reporter, world.hospital, title="Henvisning manglet")
        case = case_services.deviation_transition(action="forward", deviation=case, by=coordinator, to=world.hospital)
        case = case_services.deviation_transition(action="accept", deviation=case, by=hospital_handler)
        return measure_add(
            deviation=case,
            by=hospital_handler,
            what="Sjekkliste for henvisninger.",
            responsible_organisation=world.hospital,
            due_date=date(2026, 11, 30),
        )


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("handler", {"Oppdatere adresselisten i EPJ."}),
        ("org_admin", {"Oppdatere adresselisten i EPJ."}),
        ("hospital_handler", {"Sjekkliste for henvisninger."}),
        ("coordinator", {"Oppdatere adresselisten i EPJ.", "Sjekkliste for henvisninger."}),
        ("outsider", set()),
        ("foreigner", set()),
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_the_list_shows_the_persons_organisations_measures(client, measure, hospital_measure, persona, sees, request):
    client.force_login(request.getfixturevalue(persona))
    content = client.get(reverse("measures:list")).content.decode()
    shown = {what for what in ("Oppdatere adresselisten i EPJ.", "Sjekkliste for henvisninger.") if what in content}
    assert shown == sees


@pytest.mark.parametrize("persona", ["reporter", "council_member", "nobody"])
def test_the_list_is_for_handlers_and_coordinators(client, world, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("measures:list")).status_code == 403


def test_the_list_filters_overdue_and_by_organisation_and_sorts_by_due_date(
    client, world, measure, hospital_measure, coordinator
):
    with time_machine.travel("2026-12-02 10:00 +01:00", tick=False):
        client.force_login(coordinator)
        overdue = client.get(reverse("measures:list"), {"overdue": "on"}).content.decode()
        assert "Sjekkliste for henvisninger." in overdue
        assert "Oppdatere adresselisten i EPJ." not in overdue
        by_org = client.get(reverse("measures:list"), {"responsible_organisation": world.municipality.pk})
        assert "Sjekkliste" not in by_org.content.decode()
        latest_first = client.get(reverse("measures:list"), {"ordering": "-due"}).content.decode()
        assert latest_first.index("Oppdatere adresselisten") < latest_first.index("Sjekkliste")
        earliest_first = client.get(reverse("measures:list"), {"ordering": "due"}).content.decode()
        assert earliest_first.index("Sjekkliste") < earliest_first.index("Oppdatere adresselisten")
        carried_out = client.get(reverse("measures:list"), {"status": "carried_out"}).content.decode()
        assert "Sjekkliste" not in carried_out
        assert "Oppdatere adresselisten" not in carried_out


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@time_machine.travel(TODAY, tick=False)
def test_the_list_reads_in_the_same_number_of_queries_however_many_measures(
    client, world, case, measure, handler, coordinator
):
    client.force_login(coordinator)
    url = reverse("measures:list")
    few = queries_for(client, url)
    for n in range(5):
        measure_add(
            deviation=case,
            by=handler,
            what=f"Tiltak {n}",
            responsible_organisation=world.municipality,
            responsible_person=handler,
            due_date=date(2026, 12, 10 + n),
        )
    assert queries_for(client, url) == few


@time_machine.travel(TODAY, tick=False)
def test_the_close_confirmation_names_the_open_measures(client, world, measure, case, handler, coordinator):
    case = case_services.deviation_transition(
        action="answer", deviation=case, by=handler, cause="Feil.", measures="Se tiltak.", measures_done=False
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:action", args=[case.reference, "close"]),
        {"close-version": case.version, "close-note": "Tiltak følges opp."},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Oppdatere adresselisten i EPJ." in content
    assert 'id="open-measures-heading"' in content


@time_machine.travel(TODAY, tick=False)
def test_the_close_confirmation_is_quiet_when_every_measure_is_done(client, world, reporter, coordinator, handler):
    case = drive(
        file_case(reporter, world.municipality), "answered", coordinator=coordinator, handler=handler, reporter=reporter
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:action", args=[case.reference, "close"]),
        {"close-version": case.version, "close-note": "Ok."},
    )
    assert response.status_code == 200
    assert 'id="open-measures-heading"' not in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_case_page_reads_its_measures_in_the_same_number_of_queries_however_many(
    client, world, case, measure, handler
):
    client.force_login(handler)
    url = reverse("cases:detail", args=[case.reference])
    few = queries_for(client, url)
    for n in range(4):
        measure_add(
            deviation=case, by=handler, what=f"Tiltak {n}", responsible_organisation=world.hospital, due_date=TODAY_DUE
        )
    assert queries_for(client, url) == few
