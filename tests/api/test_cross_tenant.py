"""One organisation's token against every id of another organisation's cases, comments and
attachments: 404 for all, in the same partnership and across partnerships, and nothing changed."""

from django.core.files.uploadedfile import SimpleUploadedFile

from avvik.cases import services
from avvik.cases.choices import Status
from avvik.cases.models import AccessLog, Attachment, Comment, Deviation
from tests.api.conftest import register
from tests.builders import PNG, case_data, drive, file_case
from tests.conftest import make_persona
from tests.factories import UserFactory, grant


def _others_cases(world, reporter, coordinator, handler):
    """Cases between the hospital and the municipality, with comments (shared and internal) and files,
    and a case of the other partnership."""
    cases = [
        file_case(reporter, world.municipality, attachment=True),
        drive(
            file_case(reporter, world.municipality, attachment=True),
            Status.ANSWERED,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        ),
    ]
    services.comment_add(deviation=cases[0], by=reporter, body="Delt kommentar.")
    services.comment_add(deviation=cases[1], by=handler, body="Intern.", internal=True)
    other_reporter = make_persona("other_reporter", world)
    other_coordinator = make_persona("foreigner", world)
    other_org_peer = world.other_partnership.organisations.create(
        name="Annen kommune", kind="municipality", organisation_number="974760673"
    )
    foreign = file_case(other_reporter, other_org_peer, attachment=True)
    services.comment_add(deviation=foreign, by=other_reporter, body="Fremmed kommentar.")
    cases.append(foreign)
    return cases, other_coordinator


def _every_address(cases):
    for case in cases:
        ref = case.reference
        yield "get", f"/api/v1/cases/{ref}/"
        yield "get", f"/api/v1/cases/{ref}/comments/"
        yield "get", f"/api/v1/cases/{ref}/attachments/"
        yield "post", f"/api/v1/cases/{ref}/comments/"
        yield "post", f"/api/v1/cases/{ref}/attachments/"
        for comment in Comment.objects.filter(deviation=case):
            yield "get", f"/api/v1/cases/{ref}/comments/{comment.pk}/"
        for attachment in Attachment.objects.filter(deviation=case):
            yield "get", f"/api/v1/cases/{ref}/attachments/{attachment.pk}/"


def _call(system, method, url):
    if method == "get":
        return system.api.get(url)
    if url.endswith("/comments/"):
        return system.api.post(url, {"body": "Inntrenger."}, format="json")
    return system.api.post(
        url, {"files": [SimpleUploadedFile("x.png", PNG, content_type="image/png")]}, format="multipart"
    )


def _state():
    return (
        list(Deviation.objects.order_by("pk").values_list("pk", "status", "version", "updated_at")),
        Comment.objects.count(),
        Attachment.objects.count(),
    )


def test_a_bystanders_token_gets_404_on_every_id_of_others(world, reporter, coordinator, handler, bystander_system):
    cases, _foreign_coordinator = _others_cases(world, reporter, coordinator, handler)
    before = _state()
    addresses = list(_every_address(cases))
    assert len(addresses) >= 3 * 5 + 3 + 3  # every case, comment and file is asked for
    for method, url in addresses:
        response = _call(bystander_system, method, url)
        assert response.status_code == 404, (method, url, response.status_code)
        assert response["Content-Type"] == "application/problem+json"
    assert _state() == before
    assert bystander_system.api.get("/api/v1/cases/").json()["results"] == []
    assert not AccessLog.objects.filter(user=bystander_system.account, deviation__isnull=False).exists()


def test_another_partnerships_token_gets_404_on_every_id(world, reporter, coordinator, handler):
    cases, foreign_coordinator = _others_cases(world, reporter, coordinator, handler)
    foreign_system = register(foreign_coordinator, world.other_org, name="Fremmed system")
    before = _state()
    for method, url in _every_address(cases[:2]):
        assert _call(foreign_system, method, url).status_code == 404, (method, url)
    assert _state() == before
    assert {row["reference"] for row in foreign_system.api.get("/api/v1/cases/").json()["results"]} <= {
        cases[2].reference
    }


def test_another_cases_comment_or_file_through_an_own_case_is_404(
    world, reporter, coordinator, handler, bystander_system
):
    _others_cases(world, reporter, coordinator, handler)
    # A case the bystander's organisation reported: the bystander reads it.
    own = services.deviation_submit(
        by=_bystander_reporter(world),
        organisation=world.bystander_org,
        data=case_data(world.municipality),
    )
    assert bystander_system.api.get(f"/api/v1/cases/{own.reference}/").status_code == 200
    for comment in Comment.objects.exclude(deviation=own):
        url = f"/api/v1/cases/{own.reference}/comments/{comment.pk}/"
        assert bystander_system.api.get(url).status_code == 404
    for attachment in Attachment.objects.exclude(deviation=own):
        url = f"/api/v1/cases/{own.reference}/attachments/{attachment.pk}/"
        assert bystander_system.api.get(url).status_code == 404


def _bystander_reporter(world):
    person = UserFactory(email="melder@sidevik.test")
    grant(person, "reporter", organisation=world.bystander_org)
    return person
