"""Relations between cases: who may relate two cases, what each reader sees of them, and the
contact point's suggestions of possibly related cases."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from avvik.cases import services
from avvik.cases.choices import RelationKind, Status
from avvik.cases.models import Relation
from avvik.cases.relations import relations_of, suggestions
from tests.builders import drive, file_case
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarded(world, reporter, coordinator, handler):
    """Two of the reporter's cases, forwarded to the municipality: the handler reads both."""
    path = {"coordinator": coordinator, "handler": handler, "reporter": reporter}
    first = drive(file_case(reporter, world.municipality, title="Første"), Status.FORWARDED, **path)
    second = drive(file_case(reporter, world.municipality, title="Andre"), Status.FORWARDED, **path)
    return first, second


def test_coordinator_relates_two_cases_once(forwarded, coordinator):
    first, second = forwarded
    relation = services.relation_add(source=first, target=second, kind=RelationKind.CAUSED_BY, by=coordinator)
    again = services.relation_add(source=second, target=first, kind=RelationKind.SAME_EVENT, by=coordinator)
    assert again == relation
    assert Relation.objects.count() == 1


def test_a_handler_who_reads_both_cases_relates_them(forwarded, handler):
    first, second = forwarded
    services.relation_add(source=first, target=second, kind=RelationKind.SAME_EVENT, by=handler)
    assert Relation.objects.filter(source=first, target=second).exists()


def test_a_handler_who_cannot_read_one_of_them_may_not(world, forwarded, reporter, handler):
    first, _ = forwarded
    unseen = file_case(reporter, world.bystander_org)
    with pytest.raises(services.RelationRefused):
        services.relation_add(source=first, target=unseen, kind=RelationKind.SAME_EVENT, by=handler)
    assert not Relation.objects.exists()


@pytest.mark.parametrize("persona", ["reporter", "counterpart_reporter", "council_member", "foreigner"])
def test_others_may_not_relate(request, forwarded, persona):
    first, second = forwarded
    with pytest.raises(services.RelationRefused):
        services.relation_add(
            source=first, target=second, kind=RelationKind.SAME_EVENT, by=request.getfixturevalue(persona)
        )


def test_cases_of_two_partnerships_are_never_related(world, forwarded, coordinator, other_reporter):
    foreign = file_case(other_reporter, OrganisationFactory(partnership=world.other_partnership))
    with pytest.raises(services.RelationRefused):
        services.relation_add(source=forwarded[0], target=foreign, kind=RelationKind.SAME_EVENT, by=coordinator)


def test_only_those_who_may_relate_remove_a_relation(forwarded, coordinator, reporter):
    first, second = forwarded
    relation = services.relation_add(source=first, target=second, kind=RelationKind.SAME_EVENT, by=coordinator)
    with pytest.raises(services.RelationRefused):
        services.relation_remove(relation=relation, by=reporter)
    services.relation_remove(relation=relation, by=coordinator)
    assert not Relation.objects.exists()


def test_each_side_reads_the_relation_its_own_way(forwarded, coordinator):
    first, second = forwarded
    services.relation_add(source=first, target=second, kind=RelationKind.CAUSED_BY, by=coordinator)
    # The phrase is in the reader's language; here English, whatever language an earlier test left on.
    with translation.override("en"):
        (from_first,) = relations_of(coordinator, first)
        (from_second,) = relations_of(coordinator, second)
        assert (from_first.other, str(from_first.phrase)) == (second, "Caused by")
        assert (from_second.other, str(from_second.phrase)) == (first, "Led to")


def test_a_reader_never_learns_of_a_related_case_outside_their_visibility(
    client, world, forwarded, coordinator, handler, reporter
):
    first, _ = forwarded
    unseen = file_case(reporter, world.bystander_org, title="Usynlig sak")
    services.relation_add(source=first, target=unseen, kind=RelationKind.SAME_EVENT, by=coordinator)
    assert relations_of(handler, first) == []
    client.force_login(handler)
    text = client.get(reverse("cases:detail", args=[first.reference])).content.decode()
    assert unseen.reference not in text
    assert "Usynlig sak" not in text
    # The reporter filed both, and reads the relation.
    assert [item.other for item in relations_of(reporter, first)] == [unseen]


def test_linking_a_suggestion_on_the_page(client, forwarded, coordinator):
    first, second = forwarded
    client.force_login(coordinator)
    page = client.get(reverse("cases:detail", args=[first.reference])).content.decode()
    assert second.reference in page
    response = client.post(
        reverse("cases:relation_create", args=[first.reference]),
        {"relation-other": second.reference, "relation-kind": RelationKind.SAME_EVENT},
    )
    assert response.status_code == 302
    assert Relation.objects.filter(source=first, target=second, kind=RelationKind.SAME_EVENT).exists()


def test_an_unknown_reference_is_a_form_error_that_keeps_the_input(client, forwarded, coordinator):
    first, _ = forwarded
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:relation_create", args=[first.reference]),
        {"relation-other": "SA-2026-UKJENT", "relation-kind": RelationKind.CAUSED_BY},
    )
    assert response.status_code == 400
    assert "SA-2026-UKJENT" in response.content.decode()
    assert not Relation.objects.exists()


class TestSuggestions:
    def test_the_same_two_organisations_either_way_within_two_days(
        self, world, reporter, coordinator, counterpart_reporter
    ):
        case = file_case(reporter, world.municipality)
        mirror = file_case(counterpart_reporter, world.hospital, occurred_at=case.occurred_at + timedelta(days=1))
        later = file_case(counterpart_reporter, world.hospital, occurred_at=case.occurred_at + timedelta(days=3))
        other_pair = file_case(reporter, world.bystander_org, occurred_at=case.occurred_at)
        found = suggestions(coordinator, case)
        assert mirror in found
        assert later not in found and other_pair not in found and case not in found

    def test_the_same_message_id_at_any_time(self, world, reporter, coordinator):
        case = file_case(reporter, world.municipality, message_id="abc-123")
        same = file_case(
            reporter, world.bystander_org, message_id="abc-123", occurred_at=case.occurred_at - timedelta(days=30)
        )
        assert suggestions(coordinator, case) == [same]

    def test_the_same_her_id_pair_and_message_type_within_two_days(self, world, reporter, coordinator):
        message = {"sender_her_id": "8000001", "receiver_her_id": "8000002", "message_type": "discharge_summary"}
        case = file_case(reporter, world.municipality, **message)
        same = file_case(reporter, world.bystander_org, occurred_at=case.occurred_at - timedelta(days=2), **message)
        other_type = file_case(reporter, world.bystander_org, **{**message, "message_type": "referral"})
        found = suggestions(coordinator, case)
        assert same in found and other_type not in found

    def test_a_case_alike_in_both_ways_is_named_once_and_the_newest_come_first(self, world, reporter, coordinator):
        case = file_case(reporter, world.municipality, message_id="abc-123")
        both = file_case(reporter, world.municipality, message_id="abc-123")
        old_message = file_case(
            reporter, world.bystander_org, message_id="abc-123", occurred_at=case.occurred_at - timedelta(days=30)
        )
        near = file_case(reporter, world.municipality)
        assert suggestions(coordinator, case) == [near, old_message, both]

    def test_at_most_five_and_none_already_related(self, world, reporter, coordinator):
        case = file_case(reporter, world.municipality)
        others = [file_case(reporter, world.municipality) for _ in range(6)]
        assert len(suggestions(coordinator, case)) == 5
        services.relation_add(source=others[0], target=case, kind=RelationKind.SAME_EVENT, by=coordinator)
        assert others[0] not in suggestions(coordinator, case)

    def test_never_a_case_the_reader_cannot_read(self, world, reporter, colleague_reporter, coordinator):
        case = file_case(reporter, world.municipality)
        file_case(colleague_reporter, world.municipality)
        assert suggestions(reporter, case) == []

    def test_shown_to_the_contact_point_only(self, client, world, reporter, coordinator):
        case = file_case(reporter, world.municipality)
        other = file_case(reporter, world.municipality, title="Lignende")
        client.force_login(reporter)
        assert other.reference not in client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        client.force_login(coordinator)
        assert other.reference in client.get(reverse("cases:detail", args=[case.reference])).content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "handler"])
def test_detail_queries_do_not_grow_with_related_or_merged_cases(
    request, client, world, reporter, coordinator, handler, persona
):
    path = {"coordinator": coordinator, "handler": handler, "reporter": reporter}
    main = drive(file_case(reporter, world.municipality), Status.FORWARDED, **path)
    url = reverse("cases:detail", args=[main.reference])

    def grow(count: int) -> None:
        for _ in range(count):
            other = drive(file_case(reporter, world.municipality), Status.FORWARDED, **path)
            services.relation_add(source=other, target=main, kind=RelationKind.CAUSED_BY, by=coordinator)
            duplicate = drive(file_case(reporter, world.municipality), Status.FORWARDED, **path)
            services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)

    client.force_login(request.getfixturevalue(persona))
    grow(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(3)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_suggestions_on_the_page_do_not_read_a_case_each(client, world, reporter, coordinator):
    """The suggested cases are read with the columns the page shows of them: no query per case."""
    case = file_case(reporter, world.municipality)
    url = reverse("cases:detail", args=[case.reference])
    file_case(reporter, world.municipality, title="Kanskje samme", occurred_at=case.occurred_at)
    client.force_login(coordinator)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    shown = response.content.decode().count("Kanskje samme")
    assert response.status_code == 200 and shown
    for _ in range(3):
        file_case(reporter, world.municipality, title="Kanskje samme", occurred_at=case.occurred_at)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("Kanskje samme") == shown + 3
    assert len(many) == len(few)
