"""Every filter of the deviation lists is checked: a filter in error lists and exports nothing, and
the page answers 400 with the message beside the field."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from avvik.cases.models.logs import AccessLog
from avvik.catalogue.models import Category
from tests.builders import file_case

pytestmark = pytest.mark.django_db


def nb(message: str) -> str:
    """The message as a bokmål page shows it."""
    with translation.override("nb"):
        return translation.gettext(message)


NOT_A_CHOICE = "Select a valid choice. That choice is not one of the available choices."
NOT_AMONG = "Select a valid choice. %(value)s is not one of the available choices."


@pytest.fixture
def listed(world, reporter):
    """A case the coordinator's list shows when it shows anything."""
    return file_case(reporter, world.municipality, title="Saken som ikke skal vises")


def _refused(response, listed, field: str, message: str) -> str:
    assert response.status_code == 400
    body = response.content.decode()
    assert listed.reference not in body
    assert listed.title not in body
    # The message stands beside the field, and the field points at it.
    beside = re.search(rf'<div class="invalid-feedback d-block" id="id_{field}-error">(.*?)</div>', body, re.S)
    assert beside, f"no message beside {field}"
    assert message in beside.group(1)
    assert f'aria-describedby="id_{field}-error"' in body
    # And the summary at the top says the list is not shown.
    assert 'id="error-summary"' in body
    return body


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"created_after": "2026-13-45"}, "created", "The from date is not a real date."),
        ({"created_before": "tomorrow"}, "created", "The to date is not a real date."),
        ({"occurred_after": "31.02.2026"}, "occurred", "The from date is not a real date."),
        (
            {"created_after": "2026-03-10", "created_before": "2026-03-01"},
            "created",
            "The to date is before the from date.",
        ),
        (
            {"occurred_after": "2026-03-10", "occurred_before": "2026-03-09"},
            "occurred",
            "The to date is before the from date.",
        ),
        ({"status": "lost"}, "status", (NOT_AMONG, "lost")),
        ({"consequence": "apocalyptic"}, "consequence", (NOT_AMONG, "apocalyptic")),
        ({"ordering": "password"}, "ordering", (NOT_AMONG, "password")),
        ({"reporting_organisation": "abc"}, "reporting_organisation", NOT_A_CHOICE),
        ({"responsible_organisation": "99999999999999999999"}, "responsible_organisation", NOT_A_CHOICE),
        ({"overdue": "banana"}, "overdue", "Tick the box or leave it empty."),
    ],
)
def test_an_invalid_filter_lists_nothing_and_says_what_is_wrong_beside_the_field(
    client, listed, coordinator, query, field, message
):
    if isinstance(message, tuple):
        message, value = message
        message = nb(message) % {"value": value}
    else:
        message = nb(message)
    client.force_login(coordinator)
    _refused(client.get(reverse("cases:all"), query), listed, field, message)


def test_malformed_dates_are_refused_not_ignored(client, listed, coordinator):
    client.force_login(coordinator)
    body = _refused(
        client.get(reverse("cases:all"), {"created_after": "2026-13-45"}),
        listed,
        "created",
        nb("The from date is not a real date."),
    )
    assert nb("The filter has errors, so no deviations are shown") in body
    # The period's inputs are marked invalid too.
    assert re.search(r'<input[^>]*id="id_created_after"[^>]*aria-invalid="true"', body, re.S)


def test_an_unknown_category_is_refused(client, listed, coordinator):
    client.force_login(coordinator)
    _refused(client.get(reverse("cases:all"), {"category": "999999"}), listed, "category", nb(NOT_A_CHOICE))


def test_another_partnerships_category_is_refused(client, world, listed, coordinator):
    foreign = Category.objects.filter(partnership=world.other_partnership).first()
    client.force_login(coordinator)
    _refused(client.get(reverse("cases:all"), {"category": foreign.pk}), listed, "category", nb(NOT_A_CHOICE))


def test_an_end_date_before_the_start_date_is_refused(client, listed, coordinator):
    client.force_login(coordinator)
    _refused(
        client.get(reverse("cases:all"), {"created_after": "2026-03-10", "created_before": "2026-03-01"}),
        listed,
        "created",
        nb("The to date is before the from date."),
    )


@pytest.mark.parametrize("day", ["9999-12-31", "1999-12-31", "0201-05-01"])
def test_a_date_outside_the_sensible_years_is_refused(client, listed, coordinator, day):
    last = timezone.localdate().year + 1
    client.force_login(coordinator)
    _refused(
        client.get(reverse("cases:all"), {"occurred_before": day}),
        listed,
        "occurred",
        nb("The to date must be in the years {first} to {last}.").format(first=2000, last=last),
    )


def test_the_sensible_years_themselves_are_accepted(client, listed, coordinator):
    client.force_login(coordinator)
    last = timezone.localdate().year + 1
    response = client.get(reverse("cases:all"), {"created_after": "2000-01-01", "created_before": f"{last}-12-31"})
    assert response.status_code == 200
    assert listed.reference in response.content.decode()


def test_a_search_longer_than_the_limit_is_refused(client, listed, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("cases:all"), {"q": "x" * 201})
    assert response.status_code == 400
    assert listed.reference not in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "100001", "last", "7"])
def test_a_page_that_is_not_in_the_list_is_not_found_and_says_so(client, listed, coordinator, page):
    client.force_login(coordinator)
    response = client.get(reverse("cases:all"), {"page": page})
    assert response.status_code == 404
    body = response.content.decode()
    assert listed.reference not in body
    assert nb("There is no page {number} in this list.").format(number=page) in body
    assert nb("Go to the first page of the list") in body


def test_an_export_with_a_page_that_is_not_one_gives_no_file(client, listed, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("cases:all"), {"format": "csv", "page": "abc"})
    assert response.status_code == 404
    assert "Content-Disposition" not in response
    assert listed.reference not in response.content.decode()


def test_an_unknown_download_format_is_refused(client, listed, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("cases:all"), {"format": "pdf"})
    assert response.status_code == 400
    assert listed.reference not in response.content.decode()


@pytest.mark.parametrize("export", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "query",
    [
        {"created_after": "2026-13-45"},
        {"category": "999999"},
        {"created_after": "2026-03-10", "created_before": "2026-03-01"},
        {"created_before": "9999-01-01"},
    ],
)
def test_an_export_with_an_invalid_filter_gives_the_message_not_a_file(client, listed, coordinator, export, query):
    client.force_login(coordinator)
    response = client.get(reverse("cases:all"), {**query, "format": export})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    body = response.content.decode()
    assert listed.reference not in body
    assert nb("The filter has errors, so no deviations are shown") in body
    assert not AccessLog.objects.filter(user=coordinator, kind="export").exists()


def test_a_valid_filter_still_lists_and_exports(client, listed, coordinator):
    client.force_login(coordinator)
    today = timezone.localdate().isoformat()
    query = {"created_after": today, "created_before": today, "category": listed.category_id, "ordering": "-created"}
    response = client.get(reverse("cases:all"), query)
    assert response.status_code == 200
    assert listed.reference in response.content.decode()
    export = client.get(reverse("cases:all"), {**query, "format": "csv"})
    assert export.status_code == 200
    assert listed.reference in export.getvalue().decode("utf-8-sig")


@pytest.mark.parametrize("list_name", ["cases:mine", "cases:triage"])
def test_every_list_refuses_an_invalid_filter(client, listed, reporter, coordinator, list_name):
    client.force_login(reporter if list_name == "cases:mine" else coordinator)
    response = client.get(reverse(list_name), {"created_after": "2026-13-45"})
    assert response.status_code == 400
    assert listed.reference not in response.content.decode()


def test_the_filter_form_draws_its_choices_escaped_and_as_chosen(client, world, listed, coordinator):
    world.hospital.name = 'Sykehus <b>"Nord"</b> & Co'
    world.hospital.save()
    client.force_login(coordinator)
    body = client.get(reverse("cases:all"), {"status": ["forwarded"], "reporting_organisation": world.hospital.pk})
    body = body.content.decode()
    assert "<b>" not in body
    assert (
        f'<option value="{world.hospital.pk}" selected>Sykehus &lt;b&gt;&quot;Nord&quot;&lt;/b&gt; &amp; Co</option>'
        in body
    )
    assert re.search(r'<input type="checkbox" name="status" value="forwarded"[^>]* id="id_status_\d+" checked>', body)
    assert re.search(r'<input type="checkbox" name="status" value="submitted"[^>]* id="id_status_\d+">', body)


def test_a_multiple_choice_in_error_marks_each_box_invalid(client, listed, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("cases:all"), {"status": ["no-such-status"]})
    body = _refused(response, listed, "status", nb(NOT_AMONG) % {"value": "no-such-status"})
    boxes = re.findall(r'<input type="checkbox" name="status"[^>]*>', body)
    assert boxes
    assert all('aria-invalid="true"' in box for box in boxes)


def _offered(body: str, field: str) -> set[str]:
    """The values a drop-down of the filter offers."""
    select = re.search(rf'<select name="{field}".*?</select>', body, re.S)
    assert select, f"no {field} on the page"
    return set(re.findall(r'<option value="(\d+)"', select.group(0)))


def test_each_person_is_offered_and_may_choose_only_their_partnerships_rows_whoever_listed_first(
    client, world, listed, coordinator, foreigner
):
    """What the filter offers, and accepts, is each person's own, in whatever order people list."""
    pages = {}
    for person in (foreigner, coordinator, foreigner):
        client.force_login(person)
        pages[person.pk] = client.get(reverse("cases:all")).content.decode()
    for field in ("reporting_organisation", "responsible_organisation"):
        own, foreign = _offered(pages[coordinator.pk], field), _offered(pages[foreigner.pk], field)
        assert str(world.hospital.pk) in own and str(world.hospital.pk) not in foreign
        assert str(world.other_org.pk) in foreign and str(world.other_org.pk) not in own
    own_categories = _offered(pages[coordinator.pk], "category")
    foreign_categories = _offered(pages[foreigner.pk], "category")
    assert own_categories and foreign_categories and not own_categories & foreign_categories
    refused = client.get(reverse("cases:all"), {"reporting_organisation": world.hospital.pk})
    assert refused.status_code == 400
    client.force_login(coordinator)
    assert client.get(reverse("cases:all"), {"reporting_organisation": world.hospital.pk}).status_code == 200
