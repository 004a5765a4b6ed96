"""The navigation's links by role, drawn once per process for each combination of roles and language
(the `{% cache %}` fragment in partials/navigation.html, kept in the "template_fragments" cache)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from avvik.tenancy.choices import Role
from tests.conftest import PERSONAS
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NAVIGATION = TEMPLATES / "partials" / "navigation.html"
MENU_ITEMS = "partnership_admin/menu_items.html"


def navigation(client, user) -> str:
    client.force_login(user)
    body = client.get(reverse("pages:organisations")).content.decode()
    drawn = body[body.index('id="main-nav"') : body.index("</nav>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", drawn)  # a new mask on every page


def test_each_person_gets_the_links_of_their_own_roles_whoever_came_before(
    client, coordinator, reporter, council_member, partnership_admin
):
    navigation(client, coordinator)  # the coordinator's links are now kept

    mine = navigation(client, reporter)
    assert reverse("cases:new") in mine
    assert reverse("council:statistics") not in mine
    assert reverse("cases:all") not in mine

    council = navigation(client, council_member)
    assert reverse("council:statistics") in council
    assert reverse("cases:all") not in council
    assert reverse("cases:new") not in council

    admin = navigation(client, partnership_admin)
    assert reverse("partnership_admin:organisations") in admin
    assert reverse("outbox:failed_notifications") not in admin


def test_every_persona_gets_the_links_it_would_get_with_nothing_kept(client, request):
    people = [request.getfixturevalue(name) for name in PERSONAS]
    staff = UserFactory(email="drift@test", is_staff=True)
    grant(staff, Role.COORDINATOR, partnership=request.getfixturevalue("world").partnership)
    people.append(staff)
    kept = [navigation(client, person) for person in people]  # each after all those before it
    for person, drawn in zip(people, kept, strict=True):
        caches["template_fragments"].clear()
        assert drawn == navigation(client, person), person.email


def test_the_links_are_drawn_once_for_the_same_roles(client, world, coordinator, foreigner):
    client.force_login(coordinator)
    first = client.get(reverse("pages:organisations"))
    assert MENU_ITEMS in [t.name for t in first.templates]

    client.force_login(foreigner)  # a coordinator too, of another partnership: the same links
    second = client.get(reverse("pages:organisations"))
    assert MENU_ITEMS not in [t.name for t in second.templates]
    assert reverse("outbox:failed_notifications") in second.content.decode()


def test_the_links_follow_the_persons_language(client, coordinator):
    assert "Alle avvik" in navigation(client, coordinator)
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    english = navigation(client, coordinator)
    assert "All deviations" in english
    assert "Alle avvik" not in english


def _fragment_and_key() -> tuple[str, set[str]]:
    source = NAVIGATION.read_text()
    opening = re.search(r"{% cache \S+ navigation_links (.*?) %}", source)
    assert opening is not None
    fragment = source[opening.end() : source.index("{% endcache %}")]
    key = {term.split("|")[0] for term in opening.group(1).split()}
    return fragment, key


def test_the_key_names_everything_the_kept_links_read():
    """A condition added to the links (or to the menus they include) without adding it to the key
    would show one person's links to another with other roles."""
    fragment, key = _fragment_and_key()
    included = re.findall(r'{% include "([^"]+)"', fragment)
    assert MENU_ITEMS in included
    sources = [fragment, *((TEMPLATES / name).read_text() for name in included)]
    read = {name for text in sources for name in re.findall(r"\b(?:roles|user)\.\w+", text)}
    assert read
    assert read <= key, read - key
    assert "LANGUAGE_CODE" in key
    # Nothing of one request or one person: no variables printed, no token, nothing of the request.
    assert not re.search(r"{{|csrf_token|request\.", "\n".join(sources))


def test_the_language_choice_marks_the_language_of_each_reader(client, coordinator, reporter):
    def chosen(user) -> list[str]:
        client.force_login(user)
        body = client.get(reverse("pages:organisations")).content.decode()
        return re.findall(r'<option value="(\w+)" selected>', body)

    assert chosen(coordinator) == ["nb"]
    reporter.language = "nn"
    reporter.save(update_fields=["language"])
    assert chosen(reporter) == ["nn"]
    assert chosen(coordinator) == ["nb"]
