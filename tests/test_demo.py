import pytest
from django.core.management import call_command
from django.urls import reverse

from avvik.demo import DEMO_PASSWORD, PEOPLE
from avvik.models import Membership, Organisation, Partnership, Unit, User

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Partnership, Organisation, Unit, User, Membership)]


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=None)
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first[:2] == [2, 5]


def test_fjordnes_writes_nynorsk():
    call_command("seed_demo")
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
    "admin@kontaktpunkt.demo": "admin:index",
}


@pytest.mark.parametrize("email", list(EXPECTED_START))
def test_each_demo_person_logs_in_and_lands_on_their_start_page(client, email):
    call_command("seed_demo")
    response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(EXPECTED_START[email])


def test_every_listed_person_is_seeded():
    call_command("seed_demo")
    assert set(EXPECTED_START) == {p[0] for p in PEOPLE} | {"admin@kontaktpunkt.demo"}


def test_nord_sees_nothing_of_demo_and_demo_nothing_of_nord(client):
    call_command("seed_demo")
    demo_names = list(Organisation.objects.filter(partnership__slug="demo").values_list("name", flat=True))
    nord_names = list(Organisation.objects.filter(partnership__slug="nord").values_list("name", flat=True))
    for email, hidden in (("koordinator@nord.demo", demo_names), ("koordinator@kontaktpunkt.demo", nord_names)):
        client.force_login(User.objects.get(email=email))
        for name in ("avvik:home", "avvik:triage", "avvik:statistics", "avvik:organisations"):
            body = client.get(reverse(name), follow=True).content.decode()
            for other in [*hidden, "Helsefellesskap Demo" if "nord" in email else "Helsefellesskap Nord"]:
                assert other not in body, (email, name, other)
