"""The response times page: the partnership's coordinators and administrators set what was agreed."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from avvik.cases.choices import MessageType
from avvik.catalogue.models import Category
from avvik.traffic.models import DEFAULT_RESPONSE_MINUTES, ResponseTime, TrafficPolicy
from avvik.traffic.services import ResponseTimes, response_times_set

pytestmark = pytest.mark.django_db

URL = reverse("traffic:response_times")


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {"default_time": "4", "default_unit": "hours", "cluster_window_hours": "24"}
    for value in MessageType.values:
        data[f"unit_{value}"] = "minutes"
    data.update(changes)
    return data


def test_the_administrator_sets_the_times_and_the_policy_is_created(partnership_admin, client, world):
    category = Category.objects.filter(partnership=world.partnership, is_active=True).first()
    client.force_login(partnership_admin)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        form_data(
            default_time="90",
            default_unit="minutes",
            cluster_window_hours="12",
            category=str(category.pk),
            time_discharge_summary="2",
            unit_discharge_summary="hours",
            time_referral="45",
        ),
    )
    assert response.status_code == 302
    assert response.url == f"{URL}?p={world.partnership.slug}"
    policy = TrafficPolicy.objects.get(partnership=world.partnership)
    assert (policy.default_response_minutes, policy.cluster_window_hours, policy.category) == (90, 12, category)
    times = ResponseTimes.of(world.partnership.pk)
    assert times.by_type == {"discharge_summary": 120, "referral": 45}
    assert times.minutes("lab_result") == 90
    assert LogEntry.objects.get_for_model(TrafficPolicy).count() == 1
    assert LogEntry.objects.get_for_model(ResponseTime).count() == 2


def test_the_page_shows_what_is_stored_in_hours_where_whole(coordinator, client, world):
    ResponseTime.objects.create(partnership=world.partnership, message_type="referral", minutes=180)
    ResponseTime.objects.create(partnership=world.partnership, message_type="lab_result", minutes=25)
    client.force_login(coordinator)
    form = client.get(URL).context["form"]
    assert (form["time_referral"].value(), form["unit_referral"].value()) == (3, "hours")
    assert (form["time_lab_result"].value(), form["unit_lab_result"].value()) == (25, "minutes")
    assert form["default_time"].value() == DEFAULT_RESPONSE_MINUTES // 60


def test_an_emptied_field_returns_the_type_to_the_default(coordinator, client, world):
    ResponseTime.objects.create(partnership=world.partnership, message_type="referral", minutes=180)
    client.force_login(coordinator)
    assert client.post(URL, form_data()).status_code == 302
    assert not ResponseTime.objects.filter(partnership=world.partnership).exists()
    assert LogEntry.objects.get_for_model(ResponseTime).filter(action=LogEntry.Action.DELETE).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"default_time": "0"}, "default_time"),
        ({"default_time": "fire"}, "default_time"),
        ({"time_referral": "337", "unit_referral": "hours"}, "time_referral"),
        ({"cluster_window_hours": ""}, "cluster_window_hours"),
        ({"default_unit": "days"}, "default_unit"),
    ],
)
def test_bad_input_is_refused_in_norwegian_and_what_was_typed_is_kept(coordinator, client, world, changes, field):
    client.force_login(coordinator)
    data = form_data(time_lab_result="30", **changes)
    response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert str(form["time_lab_result"].value()) == "30"
    assert str(form[field].value() or "") == str(data[field])
    assert "Ingenting ble lagret" in response.content.decode()
    assert not TrafficPolicy.objects.exists()
    assert not ResponseTime.objects.exists()


def test_another_partnerships_category_is_not_offered_nor_taken(coordinator, client, world):
    foreign = Category.objects.filter(partnership=world.other_partnership).first()
    client.force_login(coordinator)
    page = client.get(URL)
    assert foreign not in page.context["form"].fields["category"].queryset
    response = client.post(URL, form_data(category=str(foreign.pk)))
    assert response.status_code == 400
    assert "category" in response.context["form"].errors
    assert not TrafficPolicy.objects.exists()


def test_another_partnerships_policy_is_not_found(coordinator, client, world):
    client.force_login(coordinator)
    assert client.get(URL, {"p": world.other_partnership.slug}).status_code == 404
    assert client.post(URL, form_data(p=world.other_partnership.slug)).status_code == 404
    assert not TrafficPolicy.objects.exists()


@pytest.mark.parametrize("persona", ["handler", "council_member", "reporter"])
def test_people_who_run_no_settings_are_refused(request, client, world, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(URL, form_data()).status_code == 403
    assert not TrafficPolicy.objects.exists()


def test_the_service_refuses_someone_outside_the_partnership(foreigner, world):
    with pytest.raises(PermissionDenied):
        response_times_set(
            by=foreigner,
            partnership=world.partnership,
            default_response_minutes=60,
            cluster_window_hours=24,
            category=None,
            response_times={},
        )
    assert not TrafficPolicy.objects.exists()


def test_the_service_refuses_an_inactive_category(coordinator, world):
    category = Category.objects.filter(partnership=world.partnership).first()
    category.is_active = False
    category.save()
    with pytest.raises(ValidationError):
        response_times_set(
            by=coordinator,
            partnership=world.partnership,
            default_response_minutes=60,
            cluster_window_hours=24,
            category=category,
            response_times={},
        )


def test_the_traffic_page_and_the_menu_link_to_the_times(coordinator, partnership_admin, client, world):
    client.force_login(coordinator)
    assert URL in client.get(reverse("traffic:traffic")).content.decode()
    client.force_login(partnership_admin)
    assert URL in client.get(reverse("partnership_admin:settings")).content.decode()
