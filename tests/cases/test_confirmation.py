"""Withdrawing, rejecting and closing are confirmed on a page that says what will happen; every
action then says it is done in a sentence of its own."""

import pytest
from django.urls import reverse
from django.utils import translation

from avvik.cases.choices import Action, Status
from avvik.cases.lifecycle import LIFECYCLE
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Transition
from avvik.outbox.models import Notification
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db


def nb(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def post(client, deviation, action: str, data: dict, **extra):
    return client.post(
        reverse("cases:action", args=[deviation.reference, action]),
        {f"{action}-version": deviation.version, **{f"{action}-{k}": v for k, v in data.items()}, **extra},
    )


CONFIRMED = [
    # action, who, the status it is taken from, the note, words from what the page says will happen
    ("withdraw", "reporter", Status.SUBMITTED, "Meldt ved en feil.", "kan ikke tas opp igjen"),
    ("reject", "coordinator", Status.SUBMITTED, "Gjelder egen virksomhet.", "får beskjed på e-post"),
    ("close", "coordinator", Status.ANSWERED, "Godt svar, takk.", "en koordinator kan gjenåpne det"),
]


@pytest.mark.parametrize(("action", "persona", "status", "note", "says"), CONFIRMED)
def test_the_first_post_asks_to_confirm_and_changes_nothing(
    request, client, world, reporter, coordinator, handler, action, persona, status, note, says
):
    deviation = drive(
        file_case(reporter, world.municipality), status, coordinator=coordinator, handler=handler, reporter=reporter
    )
    client.force_login(request.getfixturevalue(persona))
    before = Transition.objects.count(), Notification.objects.count()
    response = post(client, deviation, action, {"note": note})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1" in page and nb(str(_confirmation_title(action))) in page
    assert says in page  # what will happen, in plain words
    assert note in page  # the note as it will be stored
    assert f'name="{action}-note"' in page and 'type="hidden"' in page
    assert 'name="confirm" value="yes"' in page and 'name="confirm" value="back"' in page
    assert Deviation.objects.get(pk=deviation.pk).status == status
    assert (Transition.objects.count(), Notification.objects.count()) == before


def _confirmation_title(action: str):
    from avvik.cases.views.confirmation import CONFIRMATIONS

    return CONFIRMATIONS[action].title


@pytest.mark.parametrize(("action", "persona", "status", "note", "says"), CONFIRMED)
def test_confirming_applies_it_and_says_so_in_a_sentence(
    request, client, world, reporter, coordinator, handler, action, persona, status, note, says
):
    deviation = drive(
        file_case(reporter, world.municipality), status, coordinator=coordinator, handler=handler, reporter=reporter
    )
    client.force_login(request.getfixturevalue(persona))
    response = post(client, deviation, action, {"note": note}, confirm="yes")
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.status == LIFECYCLE[action].target
    assert Transition.objects.filter(deviation=deviation).last().note == note
    page = client.get(response.url).content.decode()
    expected = {
        "withdraw": "Avviket er trukket tilbake.",
        "reject": "Avviket er avvist. Melderen får vite hvorfor.",
        "close": "Avviket er lukket.",
    }[action]
    assert expected in page
    assert "Lagret:" not in page


def test_going_back_keeps_the_note_in_the_open_form(client, world, reporter, coordinator, handler):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.ANSWERED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    client.force_login(coordinator)
    response = post(client, deviation, "close", {"note": "Nesten ferdig."}, confirm="back")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="question-heading"' not in page and 'id="details-heading"' in page  # the case page
    assert 'id="id_close-note">\nNesten ferdig.</textarea>' in page
    assert Deviation.objects.get(pk=deviation.pk).status == Status.ANSWERED


def test_a_stale_form_is_refused_before_the_confirmation(client, world, reporter, coordinator):
    from avvik.cases import services

    deviation = file_case(reporter, world.municipality)
    stale = Deviation.objects.get(pk=deviation.pk)
    services.deviation_update(deviation=deviation, by=coordinator, version=deviation.version, changes={"title": "Ny"})
    client.force_login(reporter)
    response = post(client, stale, "withdraw", {"note": ""})
    assert response.status_code == 409
    assert "Noen andre har endret" in response.content.decode()


def test_the_confirmation_page_works_without_script(client, world, reporter):
    deviation = file_case(reporter, world.municipality)
    client.force_login(reporter)
    page = post(client, deviation, "withdraw", {"note": "Feil."}).content.decode()
    assert "<script>" not in page and "onclick" not in page
    main = page[page.index("<main") :]
    form = main[main.index("<form") : main.index("</form>")]
    assert 'method="post"' in form
    assert f'action="{reverse("cases:action", args=[deviation.reference, "withdraw"])}"' in form
    assert 'type="submit"' in form


def test_an_action_without_confirmation_is_applied_at_once(client, world, reporter, coordinator, handler):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.SUBMITTED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    client.force_login(coordinator)
    response = post(client, deviation, "forward", {"to": world.municipality.pk, "category": deviation.category_id})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert f"Avviket er sendt videre til {world.municipality.name}." in page


@pytest.mark.parametrize("action", Action.values)
def test_every_action_has_its_own_sentence(action):
    done = str(LIFECYCLE[action].done)
    assert done and done.endswith(".")
    others = [str(step.done) for name, step in LIFECYCLE.items() if name != action]
    assert done not in others


def test_the_question_is_said_to_be_sent(client, world, reporter, coordinator, handler):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    client.force_login(handler)
    response = post(client, deviation, "wait", {"note": "Når ble den sendt?"})
    page = client.get(response.url).content.decode()
    assert "Spørsmålet er sendt til melderen." in page
