"""The upload page for message events: the organisation's message traffic owner only, with per-line errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from avvik.tenancy.choices import Role
from avvik.traffic.models import Message, MessageEvent
from avvik.traffic.parsing import MAX_ROWS
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

URL = reverse("traffic:upload")
HEADER = "message_id;kind;message_type;sender_her_id;receiver_her_id;happened_at;receipt_status;error_code"
GOOD = "m-1;sent;discharge_summary;100001;200002;2026-11-30 09:00;;"
RECEIPT = "m-1;apprec;;;;2026-11-30 09:05;negative;E21"


@pytest.fixture
def owner(world, client):
    user = UserFactory(email="meldingsansvarlig@sykehus.test")
    grant(user, Role.MESSAGE_OWNER, organisation=world.hospital)
    client.force_login(user)
    return user


def upload(client, text: str | bytes, name="hendelser.csv"):
    data = text if isinstance(text, bytes) else text.encode()
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_the_owner_uploads_a_file_and_sees_what_was_taken_in(owner, client, world):
    page = client.get(URL)
    assert page.status_code == 200
    response = upload(client, "\n".join([HEADER, GOOD, RECEIPT, "m-2;sent;referral;100001;;2026-11-30 10:00;;"]))
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.accepted, result.repeated, result.rejected) == (2, 0, 1)
    assert [error.position for error in result.errors] == [4]
    assert "receiver_her_id" in result.errors[0].errors
    message = Message.objects.get(message_id="m-1")
    assert (message.receipt_status, message.error_code, message.source) == (
        "negative",
        "E21",
        f"upload:{world.hospital.pk}",
    )
    assert MessageEvent.objects.filter(partnership=world.partnership).count() == 2


def test_the_same_file_twice_is_taken_in_once(owner, client):
    text = "\n".join([HEADER, GOOD, RECEIPT])
    upload(client, text)
    again = upload(client, text).context["result"]
    assert (again.accepted, again.repeated) == (0, 2)


@pytest.mark.parametrize(
    "encode",
    [lambda t: t.encode("utf-8-sig"), lambda t: t.encode("utf-8"), lambda t: t.encode("cp1252")],
    ids=["utf-8 with bom", "utf-8", "windows-1252"],
)
def test_encodings_and_commas_are_read(owner, client, encode):
    text = "\n".join(
        [HEADER.replace(";", ","), GOOD.replace(";", ","), "æøå-1,sent,referral,100001,200002,2026-11-30 10:00,,"]
    )
    result = upload(client, encode(text)).context["result"]
    assert result.accepted == 2
    assert Message.objects.filter(message_id="æøå-1").exists()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"\x00\xff\xfe\x00garbage\x81\x8d\x8f\x90\x9d", "verken UTF-8"),
        (b"id;what\n1;2\n", "mangler kolonnene"),
        ("\n".join([HEADER] + [GOOD.replace("m-1", f"m-{i}") for i in range(MAX_ROWS + 1)]).encode(), "flere enn"),
    ],
    ids=["binary", "wrong header", "too many rows"],
)
def test_a_file_that_cannot_be_read_is_refused_whole(owner, client, content, said):
    response = upload(client, content)
    assert response.status_code == 400
    assert said in response.context["problem"]
    assert not MessageEvent.objects.exists()


def test_an_empty_file_is_refused(owner, client):
    response = upload(client, b"")
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_a_short_line_and_a_formula_are_reported_by_line(owner, client):
    text = "\n".join([HEADER, GOOD, "m-2;sent", '=HYPERLINK("x");sent;referral;100001;200002;2026-11-30 10:00;;'])
    result = upload(client, text).context["result"]
    assert result.accepted == 1
    assert [error.position for error in result.errors] == [3, 4]
    assert "message_id" in result.errors[1].errors


def test_ten_thousand_rows_are_taken_in(owner, client):
    rows = [GOOD.replace("m-1", f"m-{i}") for i in range(MAX_ROWS)]
    result = upload(client, "\n".join([HEADER, *rows])).context["result"]
    assert (result.accepted, result.rejected) == (MAX_ROWS, 0)


def test_a_handler_without_the_role_is_refused(handler, client):
    client.force_login(handler)
    assert client.get(URL).status_code == 403


def test_the_traffic_page_shows_pairs_and_clusters_with_a_link_to_the_case(owner, client, world):
    from datetime import UTC, datetime

    from avvik.traffic.monitoring import sweep

    world.hospital.her_id, world.municipality.her_id = "100001", "200002"
    world.hospital.save()
    world.municipality.save()
    upload(client, "\n".join([HEADER, GOOD, RECEIPT, GOOD.replace("m-1", "m-2")]))
    sweep(datetime(2026, 12, 1, tzinfo=UTC))
    page = client.get(reverse("traffic:traffic"))
    assert page.status_code == 200
    pair = page.context["pairs"][0]
    assert (pair.sender, pair.receiver, pair.messages, pair.failed) == ("Test sykehus HF", "Testvik kommune", 2, 2)
    clusters = page.context["clusters"]
    assert len(clusters) == 2  # a negative receipt E21, and one without a receipt
    assert all(reference for _cluster, reference in clusters)  # the owner reported both cases
    assert clusters[0][1].encode() in page.content
    # The case page lists the cluster's failed messages.
    case_page = client.get(reverse("cases:detail", args=[clusters[0][1]]))
    assert case_page.status_code == 200
    assert b"<code>m-" in case_page.content


def test_another_organisations_owner_sees_neither_pairs_nor_clusters_of_others(world, client):
    from tests.factories import UserFactory, grant

    stranger = UserFactory(email="meldingsansvarlig@sidevik.test")
    grant(stranger, Role.MESSAGE_OWNER, organisation=world.bystander_org)
    owner = UserFactory(email="m@sykehus.test")
    grant(owner, Role.MESSAGE_OWNER, organisation=world.hospital)
    world.hospital.her_id = "100001"
    world.hospital.save()
    client.force_login(owner)
    upload(client, "\n".join([HEADER, GOOD]))
    client.force_login(stranger)
    page = client.get(reverse("traffic:traffic"))
    assert page.status_code == 200
    assert page.context["pairs"] == []
