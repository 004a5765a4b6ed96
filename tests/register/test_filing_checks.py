"""HER-ids checked on filing against the register copy: warnings, never a refusal or a crash."""

import pytest
from django.urls import reverse

from avvik.cases.models.deviation import Deviation
from avvik.register.checks import her_id_warnings
from avvik.register.services import register_import
from tests.builders import filing_form_data
from tests.register.helpers import world_register


@pytest.fixture
def register(world):
    register_import(partnership=world.partnership, data=world_register(world), source="ar.csv", by=None)


def warnings(world, sender, receiver, message_type="discharge_summary", counterpart=None):
    return her_id_warnings(sender, receiver, world.hospital, counterpart or world.municipality, message_type)


def test_known_her_ids_of_the_two_organisations_give_no_warning(world, register):
    assert warnings(world, world.hospital.her_id, "7000011") == []


def test_an_unknown_her_id_is_warned(world, register):
    [warning] = warnings(world, "1234567", "7000011")
    assert "1234567" in warning


def test_a_her_id_of_another_organisation_is_warned_with_its_name(world, register):
    [warning] = warnings(world, world.hospital.her_id, "7000021")
    assert "7000021" in warning
    assert world.bystander_org.name in warning


def test_a_receiver_that_cannot_receive_the_message_type_is_warned(world, register):
    [warning] = warnings(world, world.hospital.her_id, "7000011", message_type="lab_result")
    assert "Hjemmetjenesten" in warning
    assert warnings(world, world.hospital.her_id, "7000011", message_type="other") == []


def test_a_removed_her_id_is_warned(world, register):
    register_import(
        partnership=world.partnership,
        data=world_register(world).replace(b"7000011", b"7000012"),
        source="ny.csv",
        by=None,
    )
    [warning] = warnings(world, world.hospital.her_id, "7000011")
    assert "7000011" in warning


def test_without_a_register_nothing_is_checked(world):
    assert warnings(world, "1234567", "7654321", message_type="lab_result") == []


def test_the_register_of_another_partnership_is_not_used(world):
    register_import(partnership=world.other_partnership, data=world_register(world), source="ar.csv", by=None)
    assert warnings(world, "1234567", "7654321") == []


def test_a_unit_whose_parent_chain_loops_does_not_crash(world):
    data = (
        b"her_id,parent_her_id,kind,name,org_number,receives\n"
        b"7000001,7000002,unit,A,,dialogue\n7000002,7000001,unit,B,,dialogue\n"
    )
    register_import(partnership=world.partnership, data=data, source="loop.csv", by=None)
    assert warnings(world, "7000001", "7000002", message_type="dialogue") == []


def message_data(world, **overrides):
    return filing_form_data(world, message_type="discharge_summary", **overrides)


def test_the_filing_form_says_her_ids_are_not_checked_without_a_register(client, world, reporter):
    client.force_login(reporter)
    page = client.get(reverse("cases:new")).content.decode()
    assert 'id="her-ids-not-checked"' in page


def test_the_filing_form_says_nothing_of_the_sort_with_a_register(client, world, reporter, register):
    client.force_login(reporter)
    page = client.get(reverse("cases:new")).content.decode()
    assert 'id="her-ids-not-checked"' not in page


def test_a_warned_deviation_is_filed_and_the_warning_shown_on_the_case(client, world, reporter, register):
    client.force_login(reporter)
    response = client.post(
        reverse("cases:new"),
        message_data(world, sender_her_id=world.hospital.her_id, receiver_her_id="7000021"),
        follow=True,
    )
    deviation = Deviation.objects.get()
    assert deviation.receiver_her_id == "7000021"
    assert response.request["PATH_INFO"] == reverse("cases:detail", args=[deviation.reference])
    [warning] = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert "7000021" in str(warning)
    assert world.bystander_org.name in str(warning)
    assert 'data-message-level="warning"' in response.content.decode()


def test_a_form_sent_back_for_another_reason_shows_the_warnings_beside_the_message_fields(
    client, world, reporter, register
):
    client.force_login(reporter)
    response = client.post(
        reverse("cases:new"), message_data(world, title="", sender_her_id="1234567", receiver_her_id="7000011")
    )
    assert response.status_code == 200
    assert not Deviation.objects.exists()
    page = response.content.decode()
    assert 'id="her-id-warnings"' in page
    assert "1234567" in page.split('id="her-id-warnings"')[1].split("</div>")[0]


def test_a_deviation_without_a_register_is_filed_without_warnings(client, world, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("cases:new"), message_data(world, sender_her_id="1234567", receiver_her_id="7654321"), follow=True
    )
    assert Deviation.objects.get().sender_her_id == "1234567"
    assert [m for m in response.context["messages"] if m.level_tag == "warning"] == []
