import pytest
from django.core.management import call_command
from django.urls import reverse

from avvik.choices import Status
from avvik.demo import DEMO_PASSWORD, PEOPLE
from avvik.models import (
    Attachment,
    Comment,
    Deviation,
    Membership,
    Organisation,
    Partnership,
    Transition,
    Unit,
    User,
)

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
    assert Deviation.objects.filter(consequence="critical").exists()


def test_fjordnes_writes_nynorsk():
    call_command("seed_demo", no_cases=True)
    assert Organisation.objects.get(name="Fjordnes kommune").written_form == "nn"


EXPECTED_START = {
    "lege@sykehus.demo": "avvik:mine",
    "sykepleier@bergvik.demo": "avvik:mine",
    "avvik@sykehus.demo": "avvik:handling",
    "avvik@bergvik.demo": "avvik:handling",
    "avvik@fjordnes.demo": "avvik:handling",
    "koordinator@kontaktpunkt.demo": "avvik:triage",
    "fagrad@kontaktpunkt.demo": "avvik:statistics",
    "avvik@nordby.demo": "avvik:handling",
    "koordinator@nord.demo": "avvik:triage",
    "sjukepleiar@fjordnes.demo": "avvik:mine",
    "lege@nord.demo": "avvik:mine",
    "avvik@nord.demo": "avvik:handling",
    "sykepleier@nordby.demo": "avvik:mine",
    "leder@sykehus.demo": "avvik:handling",
    "leder@bergvik.demo": "avvik:handling",
    "leiar@fjordnes.demo": "avvik:handling",
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
        pages = ["avvik:home", "avvik:triage", "avvik:all", "avvik:statistics", "avvik:organisations"]
        bodies = [client.get(reverse(name), follow=True).content.decode() for name in pages]
        bodies.append(client.get(reverse("avvik:all"), {"format": "csv"}).getvalue().decode("utf-8-sig"))
        for body in bodies:
            for text in hidden:
                assert text not in body, (email, text)
        reference = Deviation.objects.filter(partnership__slug=other).first().reference
        assert client.get(reverse("avvik:detail", args=[reference])).status_code == 404


def test_demo_history_is_recorded_as_sent_and_never_mailed():
    from avvik.choices import NotificationStatus
    from avvik.models import Notification

    call_command("seed_demo")
    assert Notification.objects.exists()
    assert not Notification.objects.exclude(status=NotificationStatus.SENT).exists()
