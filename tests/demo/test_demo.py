import pytest
from django.core.management import call_command
from django.urls import reverse

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Attachment, Comment, Transition
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
        organisations = list(partnership.organisations.values_list("pk", flat=True))
        assert set(pairs) == {(a, b) for a in organisations for b in organisations if a != b}
    assert Transition.objects.count() > 60
    assert Comment.objects.filter(is_internal=True).exists() and Attachment.objects.exists()
    assert Deviation.objects.filter(consequence="very_serious").exists()


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
