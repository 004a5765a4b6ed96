import pytest
from django.core.management import call_command
from django.urls import reverse

from avvik.cases.choices import MessageType, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Attachment, Comment, Transition
from avvik.catalogue.choices import consequence_rank
from avvik.demo.scenarios import HOSPITAL, MUNICIPALITY, SCENARIOS
from avvik.demo.tenancy import DEMO_PASSWORD, PEOPLE
from avvik.tenancy.models import Membership, Organisation, Partnership, Unit, User

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Partnership, Organisation, Unit, User, Membership)]


def test_seed_demo_is_idempotent_and_covers_every_state():
    call_command("seed_demo")
    first = counts()
    cases = Deviation.objects.count()
    call_command("seed_demo")
    assert counts() == first
    assert Deviation.objects.count() == cases == 60
    assert first[:2] == [2, 5]
    assert set(Deviation.objects.values_list("status", flat=True)) == set(Status.values)
    for partnership in Partnership.objects.all():
        pairs = Deviation.objects.filter(partnership=partnership).values_list("reporting_organisation", "counterpart")
        kinds = dict(partnership.organisations.values_list("pk", "kind"))
        # Every hospital trust ↔ municipality pair, both ways; never two of a kind.
        assert set(pairs) == {(a, b) for a in kinds for b in kinds if {kinds[a], kinds[b]} == {HOSPITAL, MUNICIPALITY}}
    assert Transition.objects.count() > 60
    assert Comment.objects.filter(is_internal=True).exists() and Attachment.objects.exists()
    assert Deviation.objects.filter(potential_consequence="very_serious").exists()
    assert any(
        consequence_rank(d.potential_consequence) > consequence_rank(d.consequence) for d in Deviation.objects.all()
    )


def test_demo_messages_go_from_the_sending_party_to_the_receiving_one():
    call_command("seed_demo")
    her_ids = {}
    for organisation in Organisation.objects.prefetch_related("units"):
        her_ids[organisation.her_id] = organisation.kind
        her_ids |= {unit.her_id: organisation.kind for unit in organisation.units.all()}
    sent_by_hospital = {MessageType.DISCHARGE_SUMMARY, MessageType.LAB_RESULT, MessageType.RADIOLOGY_RESULT}
    sent_by_municipality = {MessageType.REFERRAL, MessageType.PLO_ADMISSION, MessageType.LAB_REQUISITION}
    checked = 0
    for case in Deviation.objects.exclude(message_type=""):
        sender, receiver = her_ids[case.sender_her_id], her_ids[case.receiver_her_id]
        assert sender != receiver, case.title
        if case.message_type in sent_by_hospital:
            assert sender == HOSPITAL, case.title
            checked += 1
        if case.message_type in sent_by_municipality:
            assert sender == MUNICIPALITY, case.title
            checked += 1
    assert checked > 10


def test_demo_answers_give_each_scenario_its_own_cause():
    causes = [scenario.cause for scenario in SCENARIOS]
    assert len(set(causes)) == len(causes)
    for scenario in SCENARIOS:
        assert consequence_rank(scenario.potential_consequence) >= consequence_rank(scenario.consequence)
        assert {scenario.reported_by, scenario.sender} <= {HOSPITAL, MUNICIPALITY, ""}
        # A referral without its attachment is a nuisance, not a danger.
        if scenario.message_type == MessageType.REFERRAL:
            assert consequence_rank(scenario.consequence) <= consequence_rank("minor")


def test_fjordnes_writes_nynorsk():
    call_command("seed_demo", no_cases=True)
    assert Organisation.objects.get(name="Fjordnes kommune").written_form == "nn"


EXPECTED_START = {
    "lege@sykehus.demo": "cases:mine",
    "sykepleier@bergvik.demo": "cases:mine",
    "avvik@sykehus.demo": "cases:handling",
    "avvik@bergvik.demo": "cases:handling",
    "avvik@fjordnes.demo": "cases:handling",
    "koordinator@kontaktpunkt.demo": "cases:triage",
    "fagrad@kontaktpunkt.demo": "council:statistics",
    "avvik@nordby.demo": "cases:handling",
    "koordinator@nord.demo": "cases:triage",
    "sjukepleiar@fjordnes.demo": "cases:mine",
    "lege@nord.demo": "cases:mine",
    "avvik@nord.demo": "cases:handling",
    "sykepleier@nordby.demo": "cases:mine",
    "leder@sykehus.demo": "cases:handling",
    "leder@bergvik.demo": "cases:handling",
    "leiar@fjordnes.demo": "cases:handling",
    "admin@kontaktpunkt.demo": "admin:index",
}


@pytest.mark.parametrize("email", list(EXPECTED_START))
def test_each_demo_person_logs_in_and_lands_on_their_start_page(client, email):
    call_command("seed_demo", no_cases=True)
    response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(EXPECTED_START[email])


def test_every_listed_person_is_seeded():
    call_command("seed_demo", no_cases=True)
    assert set(EXPECTED_START) == {p[0] for p in PEOPLE} | {"admin@kontaktpunkt.demo"}


def test_nord_sees_nothing_of_demo_and_demo_nothing_of_nord(client):
    call_command("seed_demo")
    for email, other in (("koordinator@nord.demo", "demo"), ("koordinator@kontaktpunkt.demo", "nord")):
        hidden = list(Organisation.objects.filter(partnership__slug=other).values_list("name", flat=True))
        hidden.append(Partnership.objects.get(slug=other).name)
        hidden += list(Deviation.objects.filter(partnership__slug=other).values_list("reference", flat=True))
        client.force_login(User.objects.get(email=email))
        pages = ["pages:home", "cases:triage", "cases:all", "council:statistics", "pages:organisations"]
        bodies = [client.get(reverse(name), follow=True).content.decode() for name in pages]
        bodies.append(client.get(reverse("cases:all"), {"format": "csv"}).getvalue().decode("utf-8-sig"))
        for body in bodies:
            for text in hidden:
                assert text not in body, (email, text)
        reference = Deviation.objects.filter(partnership__slug=other).first().reference
        assert client.get(reverse("cases:detail", args=[reference])).status_code == 404


def test_demo_history_is_recorded_as_sent_and_never_mailed():
    from avvik.outbox.choices import NotificationStatus
    from avvik.outbox.models import Notification

    call_command("seed_demo")
    assert Notification.objects.exists()
    assert not Notification.objects.exclude(status=NotificationStatus.SENT).exists()
