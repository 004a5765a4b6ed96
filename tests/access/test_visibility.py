"""Visibility: every URL pattern, persona and object gets the answer what the matrix below says.

ROWS is the one table. Each row names a URL pattern and, for each method it takes, the answer
every persona gets for every kind of object the URL is about: a case in every state and a case
of another partnership, or reports, notifications, deadlines and closure days of this
partnership and of another one. A URL pattern without a row fails the test, so adding a URL
means adding a row. The lifecycle actions are checked each from every state, against a table
of who may take which action from which status written out below (MAY_ACT).

A refused request, and any GET, must leave the stored data as it was; an allowed POST must
change it (so a refusal cannot hide behind a form error), and where the row says which page an
allowed POST leads to (`promise`), the redirect must go there. The world is built once for the
module; each check runs in its own savepoint and is rolled back.

To read a row's answers as a grid (a line per persona, a column per object):
    pytest -s -k grid tests/access/test_visibility.py
A failing check prints the grid of its row too.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from avvik.administration.invitations import invite, token_for
from avvik.administration.models import HeldPeopleFile, Invitation, PeopleImport
from avvik.api.services import api_client_create
from avvik.cases import services
from avvik.cases.choices import Action, MessageType, RelationKind, Status
from avvik.cases.forms.filing import DeviationEditForm
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.relations import Relation
from avvik.cases.models.saved_filters import SavedFilter
from avvik.catalogue.models import AgreementClause, Category
from avvik.council.choices import ReportStatus
from avvik.council.models import CouncilReport
from avvik.deadlines.models import ClosureDay, DeadlinePolicy
from avvik.duties.models import PrivacyBreach
from avvik.exports.choices import ExportFormat, ExportStatus
from avvik.exports.models import Export
from avvik.inbox.models import SiteNotice
from avvik.measures.models import Measure
from avvik.measures.services import measure_add
from avvik.outbox.choices import NotificationStatus
from avvik.outbox.models import Notification
from avvik.register.models import HeldRegisterFile
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, Organisation, Unit, User
from avvik.webhooks.models import Endpoint
from tests.builders import drive, file_case, filing_form_data
from tests.conftest import World, build_world, make_persona
from tests.factories import OrganisationFactory, UserFactory, grant

PERSONAS = [
    "reporter",  # reported the cases, at the hospital
    "colleague_reporter",  # reports at the hospital too, but filed none of the cases
    "handler",  # handles for the municipality, where the cases are forwarded
    "org_admin",  # the municipality's organisation administrator, who handles for it too
    "counterpart_reporter",  # reports for the municipality, handles nothing, filed none of the cases
    "hospital_handler",  # handles for the reporter's own organisation
    "coordinator",  # the contact point of this partnership
    "council_member",
    "partnership_admin",  # runs this partnership's settings and people; reads no case
    "outsider",  # a handler in a third organisation of this partnership
    "foreigner",  # the coordinator of another partnership
    "nobody",  # signed in, no role anywhere
    "admin",  # a superuser with no role: sees every case, logged
    "anonymous",
]

OK = "ok"  # 2xx, or a redirect that is not to a login page (with a `promise`: to the promised page)
LOGIN = "login"  # sent to a login page
Answer = str | int | tuple  # a tuple lists answers that are all right (healthz: 200 or 503)


def answers(default: Answer = 403, *, anonymous: Answer = LOGIN, **persona: Answer) -> dict[str, Answer]:
    """`default` for every signed-in persona, `anonymous` for the rest, except those named."""
    unknown = set(persona) - set(PERSONAS)
    assert not unknown, unknown
    return {**dict.fromkeys(PERSONAS, default), "anonymous": anonymous, **persona}


# Objects -----------------------------------------------------------------------------------
#
# Cases: one in every state, each reported by the reporter at the hospital about the
# municipality and driven there through the real services (tests.builders.drive): forwarded
# to the municipality, accepted ("open"), waiting for the reporter, answered and closed along
# the usual path; rejected and withdrawn before triage. Each has a patient reference and an
# attachment. All but "new" are graded significant harm, below what the statutory alert asks
# for; "new" is a minor event. "merged" was forwarded, then merged into another of the
# reporter's cases. "foreign" is a submitted case of the other partnership (its coordinator sees it).
# Everything else has an "own" object in this partnership and a "foreign" one in the other.

CASE_STATUS = {
    "new": Status.SUBMITTED,
    "forwarded": Status.FORWARDED,
    "open": Status.IN_PROGRESS,
    "waiting": Status.WAITING,
    "answered": Status.ANSWERED,
    "closed": Status.CLOSED,
    "rejected": Status.REJECTED,
    "withdrawn": Status.WITHDRAWN,
    "merged": Status.MERGED,
    "foreign": Status.SUBMITTED,
}
CASE_KEYS = list(CASE_STATUS)


@dataclass
class Things:
    world: World
    people: dict[str, User]
    cases: dict[str, int] = field(default_factory=dict)
    reports: dict[str, int] = field(default_factory=dict)
    notifications: dict[str, int] = field(default_factory=dict)
    policies: dict[str, int] = field(default_factory=dict)
    closures: dict[str, int] = field(default_factory=dict)
    api_clients: dict[str, int] = field(default_factory=dict)
    api_tokens: dict[str, int] = field(default_factory=dict)
    saved_filters: dict[str, int] = field(default_factory=dict)
    exports: dict[str, int] = field(default_factory=dict)
    held_register_files: dict[str, str] = field(default_factory=dict)  # key -> the held file's key
    measures: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)
    clauses: dict[str, int] = field(default_factory=dict)
    invitations: dict[str, int] = field(default_factory=dict)
    # People administration: "own" is the municipality's handler, "foreign" the other partnership's reporter.
    administered: dict[str, int] = field(default_factory=dict)
    former: int = 0  # a deactivated reporter of the municipality
    # The people import: a file the municipality's administrator holds, and an import of theirs.
    held_people_file: str = ""
    people_import: int = 0
    references: dict[str, str] = field(default_factory=dict)
    # Per partnership ("own", "foreign"): a case each matrix case is related to (for removing the
    # relation), and another one to relate a case to or merge it into.
    relatives: dict[str, int] = field(default_factory=dict)
    others: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # persona -> the key of a signed-in session
    foreign_counterpart: Organisation | None = None
    webhook: int = 0

    def case(self, key: str) -> Deviation:
        """The case of a key; the keys of cases:action name the action first ("forward@new")."""
        return Deviation.objects.get(pk=self.cases[key.rpartition("@")[2]])

    def reference(self, key: str) -> str:
        return self.references[key.rpartition("@")[2]]

    def partnership(self, key: str):
        return self.world.partnership if key == "own" else self.world.other_partnership


def build_things() -> Things:
    world = build_world()
    people = {name: make_persona(name, world) for name in PERSONAS if name not in ("admin", "anonymous")}
    people["other_reporter"] = make_persona("other_reporter", world)
    people["admin"] = User.objects.create_superuser(email="root@example.no", password="x" * 20, full_name="Root")
    things = Things(world, people)
    reporter, handler, coordinator = people["reporter"], people["handler"], people["coordinator"]
    path = {"coordinator": coordinator, "handler": handler, "reporter": reporter}

    for key, status in CASE_STATUS.items():
        if key == "foreign":
            continue
        # Significant harm: graded above "new" (a minor event), yet below what the statutory alert
        # asks for, so that closing is not held back by an alert (tests/duties records one).
        serious = {} if key == "new" else {"consequence": "significant"}
        case = file_case(reporter, world.municipality, patient=True, attachment=True, **serious)
        things.cases[key] = drive(case, status, **path).pk
        assert things.case(key).status == status, key
    things.foreign_counterpart = OrganisationFactory(partnership=world.other_partnership, name="Annen kommune")
    things.cases["foreign"] = file_case(
        people["other_reporter"],
        things.foreign_counterpart,
        patient=True,
        attachment=True,
        consequence="significant",
    ).pk
    things.references = {key: things.case(key).reference for key in things.cases}
    # A personal-data breach found after the case closed, waiting for the decision.
    PrivacyBreach.objects.create(deviation=things.case("closed"), aware_at=timezone.now(), marked_by=coordinator)
    for key, filer, counterpart in (
        ("own", reporter, world.municipality),
        ("foreign", people["other_reporter"], things.foreign_counterpart),
    ):
        # Forwarded here, so that the municipality's handlers read them too.
        relative, other = (file_case(filer, counterpart, title=title) for title in ("Beslektet sak", "Annen sak"))
        if key == "own":
            relative, other = (drive(case, Status.FORWARDED, **path) for case in (relative, other))
        things.relatives[key] = relative.pk
        things.others[key] = other.reference
        owner = coordinator if key == "own" else people["foreigner"]
        for case_key in CASE_KEYS:
            if (case_key == "foreign") == (key == "foreign"):
                services.relation_add(
                    source=things.case(case_key), target=relative, kind=RelationKind.SAME_EVENT, by=owner
                )

    for key in ("own", "foreign"):
        partnership = things.partnership(key)
        report = CouncilReport.objects.create(
            partnership=partnership,
            period_label="1. kvartal 2026",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            status=ReportStatus.DONE,
        )
        report.file.save(f"rapport-{key}.pdf", ContentFile(b"%PDF-1.4 test"))
        things.reports[key] = report.pk
        case = things.case("open" if key == "own" else "foreign")
        things.notifications[key] = Notification.objects.create(
            key=f"matrix-{key}",
            kind="comment",
            recipient=case.reporter,
            deviation=case,
            status=NotificationStatus.FAILED,
        ).pk
        things.policies[key] = DeadlinePolicy.objects.filter(partnership=partnership).first().pk
        if key == "own":
            things.webhook = Endpoint.objects.create(
                organisation=world.municipality, name="Kvalitetssystem", url="https://k.example.no", secret="x"
            ).pk
        things.closures[key] = ClosureDay.objects.create(
            partnership=partnership, date=date(timezone.localdate().year + 1, 7, 1), name="Sommerstengt"
        ).pk
        api_client, _token = api_client_create(
            by=coordinator if key == "own" else people["foreigner"],
            organisation=world.hospital if key == "own" else world.other_org,
            name=f"EPJ {key}",
            scopes=["cases:read"],
            valid_days=30,
        )
        things.api_clients[key] = api_client.pk
        things.api_tokens[key] = api_client.tokens.get().pk
        # A saved filter is its owner's alone: the coordinator's here, the foreigner's there.
        things.saved_filters[key] = SavedFilter.objects.create(
            owner=coordinator if key == "own" else people["foreigner"],
            name="Epikriser",
            list_name="all",
            query="q=epikrise",
        ).pk
        # A finished list export is its owner's alone: the coordinator's here, the foreigner's there.
        export = Export.objects.create(
            requested_by=coordinator if key == "own" else people["foreigner"],
            list_name="all",
            list_path=reverse("cases:all"),
            query="format=xlsx",
            file_format=ExportFormat.XLSX,
            language="nb",
            status=ExportStatus.DONE,
        )
        export.file.save(f"avvik-{key}.xlsx", ContentFile(b"PK test"))
        things.exports[key] = export.pk
        # A register file held for its uploader between the dry run and the import.
        things.held_register_files[key] = str(
            HeldRegisterFile.objects.create(
                owner=coordinator if key == "own" else people["foreigner"],
                partnership=partnership,
                name="adresseregister.csv",
                content=b"her_id,kind,name\n7000001,organisation,Registersykehus HF\n",
            ).key
        )
        # The partnership administrator's rows: an organisation, its unit, a category and a clause.
        organisation = world.hospital if key == "own" else world.other_org
        things.organisations[key] = organisation.pk
        things.units[key] = organisation.units.first().pk
        things.categories[key] = Category.objects.filter(partnership=partnership).first().pk
        things.clauses[key] = AgreementClause.objects.filter(partnership=partnership).first().pk
    # A measure on the answered case, owned by the municipality; one on the other partnership's case.
    things.measures["own"] = measure_add(
        deviation=things.case("answered"),
        by=handler,
        what="Oppdatere adresselisten.",
        responsible_organisation=world.municipality,
        due_date=timezone.localdate() + timedelta(days=30),
    ).pk
    things.measures["foreign"] = Measure.objects.create(
        deviation=things.case("foreign"),
        what="Ny rutine.",
        responsible_organisation=things.foreign_counterpart,
        due_date=timezone.localdate() + timedelta(days=30),
    ).pk
    # People administration: a person of each partnership, an invitation to each, and a person
    # the municipality's administrator deactivated.
    things.administered = {"own": handler.pk, "foreign": people["other_reporter"].pk}
    things.invitations = {
        "own": invite(
            by=people["org_admin"],
            partnership=world.partnership,
            organisation=world.municipality,
            email="invitert@kommune.test",
            full_name="Invitert Person",
            roles=[Role.REPORTER],
        ).pk,
        "foreign": invite(
            by=None,
            partnership=world.other_partnership,
            organisation=world.other_org,
            email="invitert@annet.test",
            full_name="Invitert Annen",
            roles=[Role.REPORTER],
        ).pk,
    }
    former = UserFactory(email="tidligere@kommune.test", is_active=False)
    grant(former, Role.REPORTER, organisation=world.municipality)
    things.former = former.pk
    things.held_people_file = str(
        HeldPeopleFile.objects.create(
            owner=people["org_admin"], partnership=world.partnership, name="personer.csv", content=PEOPLE_FILE
        ).key
    )
    things.people_import = PeopleImport.objects.create(
        owner=people["org_admin"], partnership=world.partnership, source="personer.csv"
    ).pk
    # Each persona signs in once; a check sends the session's cookie (what it changes is rolled
    # back). The sessions outlast the idle timeout, however long the run takes.
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        things.sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key__in=things.sessions.values()).update(
        expire_date=timezone.now() + timedelta(days=1)
    )
    return things


@pytest.fixture(scope="module")
def things(django_db_setup, django_db_blocker):
    # Built once; every test runs inside a savepoint of this transaction and is rolled back.
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield build_things()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def request_handler() -> ClientHandler:
    # WhiteNoise reads every static file each time the middleware is built (a tenth of a second):
    # build it once for the module's few thousand requests.
    return ClientHandler(enforce_csrf_checks=False)


@pytest.fixture
def client(request_handler) -> Client:
    """A fresh test client (no cookies) on the module's request handler."""
    client = Client()
    client.handler = request_handler
    return client


# How to ask: URL arguments, query and body for an object -----------------------------------


def administered(things: "Things", key: str) -> list:
    return [things.administered[key]]


def administered_unit(things: "Things", key: str) -> list:
    organisation = things.world.municipality if key == "own" else things.world.other_org
    return [things.administered[key], organisation.pk]


def administered_membership(things: "Things", key: str) -> list:
    return [Membership.objects.filter(user_id=things.administered[key]).first().pk]


def invitation_token(things: "Things", key: str) -> list:
    return [token_for(Invitation.objects.get(pk=things.invitations[key]))]


def person_page(things: "Things", key: str) -> str:
    return reverse("administration:person", args=[things.administered[key]])


def no_args(things: Things, key: str) -> list:
    return []


def reference(things: Things, key: str) -> list:
    return [things.reference(key)]


def attachment(things: Things, key: str) -> list:
    case = things.case(key)
    return [case.reference, case.attachments.first().pk]


def partnership_query(things: Things, key: str) -> dict:
    return {"p": things.partnership(key).slug}


def pk_of(kind: str) -> Callable[[Things, str], list]:
    return lambda things, key: [getattr(things, kind)[key]]


def notice(things: Things, key: str) -> list:
    """A notice about the case, of its one persona here: the reporter's (told that "open" was
    forwarded), or the other partnership's coordinator's (told of its new case)."""
    recipient = things.people["foreigner" if key == "foreign" else "reporter"]
    return [SiteNotice.objects.filter(recipient=recipient, deviation_id=things.cases[key]).latest("pk").pk]


def action_args(things: Things, key: str) -> list:
    action = key.partition("@")[0]
    return [things.reference(key), action]


def action_data(things: Things, key: str) -> dict:
    """The action's form filled in as its page would (prefixed with the action's name): the
    version, a note (some actions require one) and the action's own fields."""
    case = things.case(key)
    action = key.partition("@")[0]
    data = {"version": case.version, "note": "Notat"}
    if action == "forward":
        data |= {"to": case.responsible_organisation_id or case.counterpart_id, "category": case.category_id}
    if action == "answer":
        data |= {"cause": "Årsak", "measures": "Tiltak", "measures_done": "false"}
    if action == "merge":
        data |= {"into": things.others["foreign" if key.endswith("@foreign") else "own"]}
    # accept: the case handler is left empty ("Me").
    # Withdrawing, rejecting and closing are confirmed on a page of their own first: this is that page's yes.
    return {**{f"{action}-{name}": value for name, value in data.items()}, "confirm": "yes"}


def relation_data(things: Things, key: str) -> dict:
    """The relation form: another case of the partnership, which the relating persona reads too."""
    return {"relation-other": things.others["foreign" if key == "foreign" else "own"], "relation-kind": "caused_by"}


def relation_args(things: Things, key: str) -> list:
    """The case's relation to the partnership's related case (made in build_things)."""
    relative = things.relatives["foreign" if key == "foreign" else "own"]
    relation = Relation.objects.get(source_id=things.cases[key], target_id=relative)
    return [things.reference(key), relation.pk]


def edit_data(things: Things, key: str) -> dict:
    """The edit form as the page fills it in, with a new title."""
    case = things.case(key)
    form = DeviationEditForm(instance=case, user=case.reporter)
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, datetime):
            value = (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, bool):
            value = "true" if value else "false"
        data[bound.html_name] = "" if value is None else value
    return {**data, "title": "Rettet tittel"}


def new_case_data(things: Things, key: str) -> dict:
    # About the third organisation, so that the reporters of both the hospital and the municipality can file it.
    return filing_form_data(things.world, counterpart=things.world.bystander_org.pk)


def upload_data(things: Things, key: str) -> dict:
    return {"files": SimpleUploadedFile("logg.txt", b"linje", "text/plain")}


def policy_data(things: Things, key: str) -> dict:
    return {"p": things.partnership(key).slug, "form": "policy", "policy-triage_days": 3, "policy-answer_days": 9}


def response_times_data(things: Things, key: str) -> dict:
    # A time for one type: a change, whether or not the partnership had a policy before.
    units = {f"unit_{value}": "minutes" for value in MessageType.values}
    return {"p": things.partnership(key).slug, "default_time": 3, "default_unit": "hours", **units} | {
        "cluster_window_hours": 12,
        "time_referral": 45,
    }


def threshold_data(things: Things, key: str) -> dict:
    partnership = things.partnership(key)
    return {
        "p": partnership.slug,
        "new_threshold": 7,
        "decided_on": "2026-06-01",
        "reference": "SSU 01.06.2026, sak 4/26",
        "reason": "Få saker per kvartal.",
    }


def volume_data(things: Things, key: str) -> dict:
    partnership = things.partnership(key)
    organisation = partnership.organisations.first()
    return {
        "p": partnership.slug,
        "organisation": organisation.pk,
        "year": 2026,
        "quarter": 1,
        "kind": "utskrivninger",
        "amount": 40,
    }


def register_upload_data(things: Things, key: str) -> dict:
    content = b"her_id,kind,name\n7000002,organisation,Opplastet kommune\n"
    return {"p": things.partnership(key).slug, "file": SimpleUploadedFile("ar.csv", content, "text/csv")}


PEOPLE_FILE = b"e-post;navn;virksomhet;enhet;roller\nny.importert@kommune.test;Ny Importert;Testvik kommune;;Melder\n"


def people_upload_data(things: Things, key: str) -> dict:
    return {"file": SimpleUploadedFile("personer.csv", PEOPLE_FILE, "text/csv")}


def held_people_file(things: Things, key: str) -> list:
    return [things.held_people_file]


def held_register_file(things: Things, key: str) -> list:
    return [things.held_register_files[key]]


def measure_data(things: Things, key: str) -> dict:
    case = things.case(key)
    return {
        "measure-what": "Sjekkliste for epikriser.",
        "measure-responsible_organisation": case.responsible_organisation_id or case.counterpart_id,
        "measure-due_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
    }


def organisation_data(things: Things, key: str) -> dict:
    organisation = Organisation.objects.get(pk=things.organisations[key])
    return {
        "p": things.partnership(key).slug,
        "name": f"{organisation.name} (endret)",
        "kind": organisation.kind,
        "organisation_number": organisation.organisation_number,
        "her_id": organisation.her_id,
        "written_form": "nn",
    }


def new_organisation_data(things: Things, key: str) -> dict:
    return {
        "p": things.partnership(key).slug,
        "name": "Ny kommune",
        "kind": "municipality",
        "organisation_number": "974760673",
        "her_id": "8100001",
        "written_form": "nb",
    }


def category_data(things: Things, key: str) -> dict:
    return {"p": things.partnership(key).slug, "name": "Ny kategori", "name_en": "New category", "position": 3}


def clause_data(things: Things, key: str) -> dict:
    return {
        "p": things.partnership(key).slug,
        "document": "Retningslinje 4",
        "code": "99.9",
        "title": "Nytt punkt",
        "position": 1,
    }


def settings_data(things: Things, key: str) -> dict:
    partnership = things.partnership(key)
    return {"p": partnership.slug, "name": partnership.name, "written_form": "nn", "council_name": "SSU"}


def units_page(things: Things, key: str) -> str:
    return reverse("partnership_admin:units", args=[things.organisations[key]])


def unit_units_page(things: Things, key: str) -> str:
    return reverse("partnership_admin:units", args=[Unit.objects.get(pk=things.units[key]).organisation_id])


def report_data(things: Things, key: str) -> dict:
    return {"p": things.partnership(key).slug, "period": "2026Q1"}


def body(**data) -> Callable[[Things, str], dict]:
    return lambda things, key: data


# Where an allowed POST promises to lead ----------------------------------------------------


def case_page(things: Things, key: str) -> str:
    return reverse("cases:detail", args=[things.reference(key)])


def new_case_page(things: Things, key: str) -> str:
    return reverse("cases:detail", args=[Deviation.objects.latest("pk").reference])


def new_report_page(things: Things, key: str) -> str:
    return reverse("council:report", args=[CouncilReport.objects.latest("pk").pk])


def page(name: str) -> Callable[[Things, str], str]:
    return lambda things, key: reverse(name)


def partnership_page(name: str) -> Callable[[Things, str], str]:
    """A page of the object's partnership, chosen with ?p=."""
    return lambda things, key: f"{reverse(name)}?p={things.partnership(key).slug}"


# The answers -------------------------------------------------------------------------------
#
# Cases. Who reads a case (need to know): the person who filed it, the handlers and
# administrators of the organisation that reported it and of the one it is forwarded to, the
# partnership's coordinators, and administrators. Reporters read only what they filed: neither a
# colleague at the same organisation (colleague_reporter) nor a reporter at the organisation it is
# forwarded to (counterpart_reporter) reads it. Nobody else learns that it exists: 404. Inside a
# case a refusal is 403, since the person may know that the case exists. The municipality is only
# the counterpart of "new", "rejected" and "withdrawn", never responsible, and its members read
# none of them.

BEFORE_FORWARDING = {"reporter", "hospital_handler", "coordinator", "admin"}
FORWARDED = BEFORE_FORWARDING | {"handler", "org_admin"}
READERS = {
    "new": BEFORE_FORWARDING,
    "forwarded": FORWARDED,
    "open": FORWARDED,
    "waiting": FORWARDED,
    "answered": FORWARDED,
    "closed": FORWARDED,
    "rejected": BEFORE_FORWARDING,  # rejected at triage
    "withdrawn": BEFORE_FORWARDING,  # withdrawn before triage
    "merged": FORWARDED,  # merged after it was forwarded
    "foreign": {"foreigner", "admin"},
}


def case_answers(key: str, allowed: set[str]) -> dict[str, Answer]:
    """One case: OK for those allowed, 403 for the others who read it, 404 for everyone else."""
    readers = READERS[key]
    assert allowed <= readers, f"{sorted(allowed - readers)} cannot read case {key!r}, so may do nothing with it"
    return {**answers(404), **dict.fromkeys(readers, 403), **dict.fromkeys(allowed, OK)}


def per_case(allowed: dict[str, set[str]]) -> dict[str, dict[str, Answer]]:
    """Every case: OK for the personas `allowed` name for it, 403 for the other readers, else 404."""
    assert list(allowed) == CASE_KEYS, "name every case, in the order of CASE_KEYS"
    return {key: case_answers(key, who) for key, who in allowed.items()}


NOBODY: set[str] = set()
# Agreeing measures: the responsible organisation's handlers and the coordinators, while the case
# is in progress, waits for the reporter or is answered.
MAY_ADD_MEASURE = {
    "new": NOBODY,
    "forwarded": NOBODY,
    "open": {"handler", "org_admin", "coordinator"},
    "waiting": {"handler", "org_admin", "coordinator"},
    "answered": {"handler", "org_admin", "coordinator"},
    "closed": NOBODY,
    "rejected": NOBODY,
    "withdrawn": NOBODY,
    "merged": NOBODY,
    "foreign": NOBODY,
}
# Correcting a case: the reporter until triage, coordinators until it ends.
MAY_EDIT = {
    "new": {"reporter", "coordinator"},
    "forwarded": {"coordinator"},
    "open": {"coordinator"},
    "waiting": {"coordinator"},
    "answered": {"coordinator"},
    "closed": NOBODY,
    "rejected": NOBODY,
    "withdrawn": NOBODY,
    "merged": NOBODY,
    "foreign": {"foreigner"},
}
# Messages and files: everyone who reads the case (the municipality's handlers only once it is
# forwarded there) but administrators, who only read. An ended case takes none until it is reopened.
MAY_WRITE = {
    "new": {"reporter", "hospital_handler", "coordinator"},
    "forwarded": FORWARDED - {"admin"},
    "open": FORWARDED - {"admin"},
    "waiting": FORWARDED - {"admin"},
    "answered": FORWARDED - {"admin"},
    "closed": NOBODY,
    "rejected": NOBODY,
    "withdrawn": NOBODY,
    "merged": NOBODY,
    "foreign": {"foreigner"},
}
# The patient reference: handlers of the reporting and the responsible organisation, coordinators.
MAY_SEE_PATIENT = {
    "new": {"hospital_handler", "coordinator"},
    "forwarded": {"hospital_handler", "handler", "org_admin", "coordinator"},
    "open": {"hospital_handler", "handler", "org_admin", "coordinator"},
    "waiting": {"hospital_handler", "handler", "org_admin", "coordinator"},
    "answered": {"hospital_handler", "handler", "org_admin", "coordinator"},
    "closed": {"hospital_handler", "handler", "org_admin", "coordinator"},
    "rejected": {"hospital_handler", "coordinator"},
    "withdrawn": {"hospital_handler", "coordinator"},
    "merged": {"hospital_handler", "handler", "org_admin", "coordinator"},
    "foreign": {"foreigner"},
}
# The statutory alert (avvik.duties), while the rule in force requires one: none of these cases
# is graded very serious harm or death, so the form is refused to everyone who reads the case
# (tests/duties records one).
MAY_RECORD_ALERT = dict.fromkeys(CASE_KEYS, NOBODY)
# Marking a personal-data breach: the reporting organisation's handlers, the responsible
# organisation's handlers and coordinators, while the case is open.
MAY_MARK_BREACH = {
    "new": {"hospital_handler", "coordinator"},
    "forwarded": {"hospital_handler", "handler", "org_admin", "coordinator"},
    "open": {"hospital_handler", "handler", "org_admin", "coordinator"},
    "waiting": {"hospital_handler", "handler", "org_admin", "coordinator"},
    "answered": {"hospital_handler", "handler", "org_admin", "coordinator"},
    "closed": NOBODY,
    "rejected": NOBODY,
    "withdrawn": NOBODY,
    "merged": NOBODY,
    "foreign": {"foreigner"},
}
# Deciding on a breach: the same people, where one is marked and undecided ("closed", marked
# after it closed; a breach on an open case would keep it from closing in the action rows).
MAY_DECIDE_BREACH = {
    **dict.fromkeys(CASE_KEYS, NOBODY),
    "closed": {"hospital_handler", "handler", "org_admin", "coordinator"},
}
# Relating a case to another (and removing the relation): coordinators, and the handlers who read
# both cases; administrators only read.
MAY_RELATE = {key: READERS[key] - {"reporter", "admin"} for key in CASE_KEYS}
# The access log and the council's summary: the partnership's coordinators, in every state.
ONLY_COORDINATORS = {key: {"foreigner"} if key == "foreign" else {"coordinator"} for key in CASE_KEYS}
# A case's archive package: every reader, once the case has ended (closed, rejected, withdrawn, merged).
ENDED_KEYS = {"closed", "rejected", "withdrawn", "merged"}
MAY_ARCHIVE = {key: READERS[key] if key in ENDED_KEYS else NOBODY for key in CASE_KEYS}

# The lifecycle (DESIGN), written out here and not read from avvik.cases.lifecycle: which
# persona may take which action from which status. Nobody else may take any.
ACTIONS = ["forward", "reject", "withdraw", "accept", "wait", "resume", "reply", "answer", "close", "reopen", "merge"]
COORDINATOR_MAY = {
    # A duplicate is merged into its main case while it is open, never once it has ended.
    "merge": {Status.SUBMITTED, Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING, Status.ANSWERED},
    "forward": {Status.SUBMITTED, Status.FORWARDED},
    "reject": {Status.SUBMITTED, Status.FORWARDED},
    "close": {Status.ANSWERED, Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING},
    "reopen": {Status.ANSWERED, Status.CLOSED},
}
# The responsible organisation's handlers and its administrator (the municipality, for every
# case forwarded here).
RESPONSIBLE_HANDLER_MAY = {
    "accept": {Status.FORWARDED},
    "wait": {Status.IN_PROGRESS},
    "answer": {Status.IN_PROGRESS},
    "resume": {Status.WAITING},
}
MAY_ACT = {
    "coordinator": COORDINATOR_MAY,
    "handler": RESPONSIBLE_HANDLER_MAY,
    "org_admin": RESPONSIBLE_HANDLER_MAY,
    # The reporter who filed the case: withdraws it before triage, answers the question it waits on.
    "reporter": {"withdraw": {Status.SUBMITTED}, "reply": {Status.WAITING}},
}
# The other partnership's case: its coordinator is the one persona with a part in it.
MAY_ACT_ON_FOREIGN = {"foreigner": COORDINATOR_MAY}


def action_answers() -> dict[str, dict[str, Answer]]:
    """cases:action for every action from every case, keyed "action@case"."""
    table = {}
    for action in ACTIONS:
        for key in CASE_KEYS:
            may = MAY_ACT_ON_FOREIGN if key == "foreign" else MAY_ACT
            allowed = {persona for persona, acts in may.items() if CASE_STATUS[key] in acts.get(action, ())}
            table[f"{action}@{key}"] = case_answers(key, allowed)
    return table


# Everything else belongs to a partnership: the coordinators (and for statistics the council)
# of the partnership that owns it; another partnership's coordinator gets 404.
COORDINATORS_OWN = answers(coordinator=OK, foreigner=404)
COORDINATORS_FOREIGN = answers(coordinator=404, foreigner=OK)
STATISTICS_OWN = {**COORDINATORS_OWN, "council_member": OK}
STATISTICS_FOREIGN = {**COORDINATORS_FOREIGN, "council_member": 404}
# Administrators read every partnership's reports, as they read every case (their reads are logged).
REPORT_OWN = answers(404, coordinator=OK, council_member=OK, admin=OK)
REPORT_FOREIGN = answers(404, foreigner=OK, admin=OK)
SIGNED_IN = answers(OK)
# The settings pages the coordinators share with the partnership administrators.
SETTINGS_OWN = {**COORDINATORS_OWN, "partnership_admin": OK}
SETTINGS_FOREIGN = {**COORDINATORS_FOREIGN, "partnership_admin": 404}
# The partnership administrator's own pages: no one else, not even a coordinator; another
# partnership's rows do not exist for them.
# A held register file is its uploader's alone (the coordinator's here, the foreigner's there): a
# partnership administrator passes the role check and is told it does not exist.
HELD_OWN = {**COORDINATORS_OWN, "partnership_admin": 404}
HELD_FOREIGN = {**COORDINATORS_FOREIGN, "partnership_admin": 404}
PARTNERSHIP_ADMIN = {"own": answers(partnership_admin=OK), "foreign": answers(partnership_admin=404)}
PUBLIC = answers(OK, anonymous=OK)
STAFF = answers(LOGIN, admin=OK)  # Django's admin sends everyone else to its own login page
REPORTERS = answers(reporter=OK, colleague_reporter=OK, counterpart_reporter=OK)


@dataclass(frozen=True)
class Row:
    """One URL pattern: the answer per object and persona, for GET and for POST.

    Leaving `get` out says that GET is refused (405) without changing anything. `promise` names
    the page an allowed POST leads to; then only a redirect there counts as OK.
    """

    name: str
    get: dict[str, dict[str, Answer]] | None = None
    post: dict[str, dict[str, Answer]] | None = None
    args: Callable[[Things, str], list] = no_args
    query: Callable[[Things, str], dict] = lambda things, key: {}
    data: Callable[[Things, str], dict] = lambda things, key: {}
    promise: Callable[[Things, str], str] | None = None
    changes: bool = True  # an allowed POST changes stored data
    public: bool = False  # opted out of the login requirement


API_REFUSED = answers(401, anonymous=401)


def own_and_foreign(own, foreign) -> dict:
    return {"own": own, "foreign": foreign}


def once(table: dict[str, Answer]) -> dict:
    return {"-": table}


ADMINISTRATORS = answers(org_admin=OK, partnership_admin=OK)
# Another partnership's person or invitation: nobody learns that it exists.
ADMINISTRATORS_FOREIGN = answers(org_admin=404, partnership_admin=404)
# A held people file or an import of the municipality's administrator.
UPLOADER = answers(org_admin=OK, partnership_admin=404)

ROWS = [
    # The start page sends each person to their own list; without a role, a page that says so.
    Row("pages:home", get=once(SIGNED_IN)),
    Row("cases:new", get=once(REPORTERS), post=once(REPORTERS), data=new_case_data, promise=new_case_page),
    Row("cases:mine", get=once(REPORTERS)),
    # Work queues: the handlers' and the contact point's.
    *(
        Row(name, get=once(answers(handler=OK, org_admin=OK, hospital_handler=OK, outsider=OK)))
        for name in ("cases:handling", "cases:assigned", "cases:unassigned", "cases:handling_overdue")
    ),
    *(
        Row(name, get=once(answers(coordinator=OK, foreigner=OK)))
        for name in ("cases:triage", "cases:answered", "cases:overdue", "cases:waiting")
    ),
    # Saved filters: anyone who may open the list saves one; each is its owner's alone (404 for others).
    Row(
        "cases:saved_filter_create",
        post=once(
            answers(
                reporter=OK,
                colleague_reporter=OK,
                handler=OK,
                org_admin=OK,
                counterpart_reporter=OK,
                hospital_handler=OK,
                coordinator=OK,
                outsider=OK,
                foreigner=OK,
            )
        ),
        data=body(name="Mine epikriser", list_name="all", query="q=epikrise&page=3"),
        promise=lambda things, key: f"{reverse('cases:all')}?q=epikrise",
    ),
    Row(
        "cases:saved_filter",
        get=own_and_foreign(answers(404, coordinator=OK), answers(404, foreigner=OK)),
        args=pk_of("saved_filters"),
    ),
    Row(
        "cases:saved_filter_delete",
        post=own_and_foreign(answers(404, coordinator=OK), answers(404, foreigner=OK)),
        args=pk_of("saved_filters"),
        promise=page("cases:all"),
    ),
    # List exports: each is its owner's alone, even for an administrator (404 for everyone else).
    Row("exports:list", get=once(SIGNED_IN)),
    *(
        Row(
            name,
            get=own_and_foreign(answers(404, coordinator=OK), answers(404, foreigner=OK)),
            args=pk_of("exports"),
        )
        for name in ("exports:detail", "exports:download")
    ),
    Row(
        "cases:all",
        get=once(
            answers(
                reporter=OK,
                colleague_reporter=OK,
                handler=OK,
                org_admin=OK,
                counterpart_reporter=OK,
                hospital_handler=OK,
                coordinator=OK,
                outsider=OK,
                foreigner=OK,
            )
        ),
    ),
    # Several cases at once, from the lists: the contact point's actions are for coordinators only.
    # Every case is then checked on its own and one that may not take the action is reported and
    # left as it is, so a coordinator always comes back to the list (tests/cases/test_bulk.py).
    Row(
        "cases:bulk",
        post=once(answers(coordinator=OK, foreigner=OK)),
        data=lambda things, key: {
            "action": "close",
            "confirm": "1",
            "references": [things.reference("answered")],
            "note": "Behandlet i samarbeidsmøtet.",
            "next": reverse("cases:all"),
        },
        promise=page("cases:all"),
        changes=False,  # the other partnership's coordinator comes back to the list with nothing changed
    ),
    # The case and everything under it.
    Row("cases:detail", get=per_case(READERS), args=reference),
    Row(
        "cases:edit",
        get=per_case(MAY_EDIT),
        post=per_case(MAY_EDIT),
        args=reference,
        data=edit_data,
        promise=case_page,
    ),
    # Every action from every case, keyed "action@case"; the answers follow from MAY_ACT.
    Row("cases:action", post=action_answers(), args=action_args, data=action_data, promise=case_page),
    Row("cases:comment", post=per_case(MAY_WRITE), args=reference, data=body(body="Hei"), promise=case_page),
    Row("cases:attachment_create", post=per_case(MAY_WRITE), args=reference, data=upload_data, promise=case_page),
    Row("cases:attachment", get=per_case(READERS), args=attachment),
    Row(
        "duties:alert",
        post=per_case(MAY_RECORD_ALERT),
        args=reference,
        data=lambda things, key: {
            "sent_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "recipients": ["Statens helsetilsyn"],
            "not_informed_reason": "Ingen pårørende.",
        },
        promise=case_page,
    ),
    Row(
        "duties:breach",
        post=per_case(MAY_MARK_BREACH),
        args=reference,
        data=lambda things, key: {"aware_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        promise=case_page,
    ),
    Row(
        "duties:breach_decision",
        post=per_case(MAY_DECIDE_BREACH),
        args=reference,
        data=body(decision="not_notified", not_notified_reason="Lav risiko."),
        promise=case_page,
    ),
    Row("cases:patient", get=per_case(MAY_SEE_PATIENT), args=reference),
    Row("cases:access_log", get=per_case(ONLY_COORDINATORS), args=reference),
    # Exports of one case, for everyone who reads it (access-logged); the archive package once it has ended.
    Row("archive:case_json", get=per_case(READERS), args=reference),
    Row("archive:case_pdf", get=per_case(READERS), args=reference),
    Row("archive:case_package", get=per_case(MAY_ARCHIVE), args=reference),
    # Relating two cases: the coordinators, and handlers who read both (here the hospital's handler
    # every case, the municipality's those forwarded there), in every state.
    Row(
        "cases:relation_create",
        post=per_case(MAY_RELATE),
        args=reference,
        data=relation_data,
        promise=case_page,
    ),
    Row("cases:relation_delete", post=per_case(MAY_RELATE), args=relation_args, promise=case_page),
    Row(
        "council:council_summary",
        post=per_case(ONLY_COORDINATORS),
        args=reference,
        data=body(text="Epikrise sendt til feil adresse."),
        promise=case_page,
    ),
    # Measures: the list of one's organisations' measures (all of the partnership's for coordinators);
    # adding one to a case; a measure is read by whoever reads its case (here the answered one) and
    # followed up by the owner's handlers and the coordinators.
    Row(
        "measures:list",
        get=once(answers(handler=OK, org_admin=OK, hospital_handler=OK, coordinator=OK, outsider=OK, foreigner=OK)),
    ),
    Row(
        "measures:create",
        get=per_case(MAY_ADD_MEASURE),
        post=per_case(MAY_ADD_MEASURE),
        args=reference,
        data=measure_data,
        promise=case_page,
    ),
    Row(
        "measures:detail",
        get=own_and_foreign(
            {**answers(404), **dict.fromkeys(READERS["answered"], OK)}, answers(404, foreigner=OK, admin=OK)
        ),
        post=own_and_foreign(
            {
                **answers(404),
                **dict.fromkeys(READERS["answered"], 403),
                **dict.fromkeys(("handler", "org_admin", "coordinator"), OK),
            },
            answers(404, foreigner=OK, admin=403),
        ),
        args=pk_of("measures"),
        data=body(status="in_progress", effect="not_evaluated"),
        promise=lambda things, key: reverse("measures:detail", args=[things.measures[key]]),
    ),
    # Notifications that could not be delivered, for the contact point.
    Row("outbox:failed_notifications", get=once(answers(coordinator=OK, foreigner=OK))),
    Row(
        "outbox:notification_resend",
        post=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN),
        args=pk_of("notifications"),
        promise=page("outbox:failed_notifications"),
    ),
    # The notification centre: a person's own notices only, administrators too; opening one leads to its case.
    Row("inbox:notices", get=once(SIGNED_IN)),
    Row(
        "inbox:notice_open",
        post={"open": answers(404, reporter=OK), "foreign": answers(404, foreigner=OK)},
        args=notice,
        promise=case_page,
    ),
    # Those with nothing unread change nothing.
    Row("inbox:notices_read_all", post=once(SIGNED_IN), promise=page("inbox:notices"), changes=False),
    # A person's own pages.
    Row(
        "preferences",
        get=once(SIGNED_IN),
        post=once(SIGNED_IN),
        data=body(notification_delivery="daily", language="nn"),
        promise=page("preferences"),
    ),
    # The API: a bearer token, never a session, so every persona, signed in or not, is refused
    # alike; a token's reach is tests/api/test_cross_tenant.py's.
    *(
        Row(name, get=once(API_REFUSED), post=once(API_REFUSED) if post else None, args=args, public=True)
        for name, post, args in (
            ("api:cases", True, no_args),
            ("api:case", False, lambda things, key: ["SA-2026-AAAAAA"]),
            ("api:comments", True, lambda things, key: ["SA-2026-AAAAAA"]),
            ("api:comment", False, lambda things, key: ["SA-2026-AAAAAA", 1]),
            ("api:attachments", True, lambda things, key: ["SA-2026-AAAAAA"]),
            ("api:attachment", False, lambda things, key: ["SA-2026-AAAAAA", 1]),
            ("api:choices", False, no_args),
            ("api:message_events", True, no_args),
        )
    ),
    Row("api:schema", get=once(PUBLIC), public=True),
    Row("api:docs", get=once(PUBLIC), public=True),
    Row("api:not_found", get=once(answers(404, anonymous=404)), post=once(answers(404, anonymous=404)), public=True),
    # The contact point registers the systems of its partnership's organisations.
    Row("api:clients", get=once(answers(coordinator=OK, foreigner=OK, partnership_admin=OK))),
    Row(
        "api:client_create",
        get=once(answers(coordinator=OK, foreigner=OK, partnership_admin=OK)),
        # Another partnership's contact point cannot choose our hospital: the form refuses it.
        post=once(answers(coordinator=OK, foreigner=400, partnership_admin=OK)),
        data=lambda things, key: {
            "organisation": things.world.hospital.pk,
            "name": "EPJ",
            "scopes": ["cases:read"],
            "valid_days": 30,
        },
    ),
    Row("api:token_rotate", post=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN), args=pk_of("api_clients")),
    Row(
        "api:client_revoke",
        post=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN),
        args=pk_of("api_clients"),
        promise=lambda things, key: f"{reverse('api:clients')}?p={things.partnership(key).slug}",
    ),
    Row(
        "api:token_revoke",
        post=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN),
        args=pk_of("api_tokens"),
        promise=lambda things, key: f"{reverse('api:clients')}?p={things.partnership(key).slug}",
    ),
    Row("cases:my_access_log", get=once(SIGNED_IN)),
    # The patient's right to know: the contact point finds a patient's cases by the number.
    Row(
        "cases:patient_lookup",
        get=once(answers(coordinator=OK, foreigner=OK)),
        post=once(answers(coordinator=OK, foreigner=OK)),
        data=body(patient_identity_number="01010012356"),
        changes=False,  # a search only writes the access log
    ),
    Row("pages:organisations", get=once(answers(OK, nobody=403, admin=403))),
    Row("pages:accessibility", get=once(PUBLIC), public=True),
    Row("pages:shortcuts", get=once(PUBLIC), public=True),
    # Deadlines and closure days: the partnership is chosen with ?p=.
    Row(
        "deadlines:deadlines",
        get=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN),
        post=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN),
        query=partnership_query,
        data=policy_data,
        promise=partnership_page("deadlines:deadlines"),
    ),
    Row(
        "deadlines:deadline_delete",
        post=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN),
        args=pk_of("policies"),
        promise=partnership_page("deadlines:deadlines"),
    ),
    Row(
        "deadlines:closure_day_delete",
        post=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN),
        args=pk_of("closures"),
        promise=partnership_page("deadlines:deadlines"),
    ),
    # The address register copy: the contact point (or a partnership administrator) uploads a file,
    # sees the dry run and imports it;
    # a held file is its uploader's alone (404 for anyone else, even another coordinator).
    Row("register:home", get=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN), query=partnership_query),
    Row(
        "register:upload",
        post=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN),
        data=register_upload_data,
        promise=lambda things, key: reverse("register:preview", args=[HeldRegisterFile.objects.latest("pk").key]),
    ),
    Row(
        "register:preview",
        get=own_and_foreign(HELD_OWN, HELD_FOREIGN),
        args=held_register_file,
    ),
    *(
        Row(
            name,
            post=own_and_foreign(HELD_OWN, HELD_FOREIGN),
            args=held_register_file,
            promise=partnership_page("register:home"),
        )
        for name in ("register:confirm", "register:discard")
    ),
    # Message events from a file: only an organisation's message traffic owner, none of the personas
    # (tests/traffic/test_views.py shows the owner's use of it).
    Row("traffic:upload", get=once(answers()), post=once(answers())),
    # Webhooks: the organisation administrator of the municipality, for the municipality.
    Row("webhooks:webhooks", get=once(answers(org_admin=OK))),
    Row(
        "webhooks:switch_off",
        post=once(answers(org_admin=OK)),
        args=lambda things, key: [things.webhook],
        promise=lambda things, key: reverse("webhooks:webhooks"),
    ),
    # The traffic page: the contact point of the partnership (and message traffic owners).
    Row("traffic:traffic", get=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN), query=partnership_query),
    # The agreed response times: the partnership's settings, its coordinators' and administrators'.
    Row(
        "traffic:response_times",
        get=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN),
        post=own_and_foreign(SETTINGS_OWN, SETTINGS_FOREIGN),
        query=partnership_query,
        data=response_times_data,
        promise=partnership_page("traffic:response_times"),
    ),
    # The partnership administrator's pages: the partnership is chosen with ?p=, or follows from the row.
    Row(
        "partnership_admin:settings",
        get=PARTNERSHIP_ADMIN,
        post=PARTNERSHIP_ADMIN,
        query=partnership_query,
        data=settings_data,
        promise=partnership_page("partnership_admin:settings"),
    ),
    *(
        Row(name, get=PARTNERSHIP_ADMIN, query=partnership_query)
        for name in ("partnership_admin:organisations", "partnership_admin:categories", "partnership_admin:clauses")
    ),
    Row(
        "partnership_admin:organisation_create",
        get=PARTNERSHIP_ADMIN,
        post=PARTNERSHIP_ADMIN,
        query=partnership_query,
        data=new_organisation_data,
        promise=partnership_page("partnership_admin:organisations"),
    ),
    Row(
        "partnership_admin:organisation_edit",
        get=PARTNERSHIP_ADMIN,
        post=PARTNERSHIP_ADMIN,
        args=pk_of("organisations"),
        data=organisation_data,
        promise=partnership_page("partnership_admin:organisations"),
    ),
    Row(
        "partnership_admin:organisation_active",
        post=PARTNERSHIP_ADMIN,
        args=pk_of("organisations"),
        data=body(active="0"),
        promise=partnership_page("partnership_admin:organisations"),
    ),
    Row("partnership_admin:units", get=PARTNERSHIP_ADMIN, args=pk_of("organisations")),
    Row(
        "partnership_admin:unit_create",
        get=PARTNERSHIP_ADMIN,
        post=PARTNERSHIP_ADMIN,
        args=pk_of("organisations"),
        data=body(name="Ny enhet"),
        promise=units_page,
    ),
    Row(
        "partnership_admin:unit_edit",
        get=PARTNERSHIP_ADMIN,
        post=PARTNERSHIP_ADMIN,
        args=pk_of("units"),
        data=body(name="Omdøpt enhet"),
        promise=unit_units_page,
    ),
    Row(
        "partnership_admin:unit_active",
        post=PARTNERSHIP_ADMIN,
        args=pk_of("units"),
        data=body(active="0"),
        promise=unit_units_page,
    ),
    *(
        Row(
            f"partnership_admin:{kind}_create",
            get=PARTNERSHIP_ADMIN,
            post=PARTNERSHIP_ADMIN,
            query=partnership_query,
            data=data,
            promise=partnership_page(f"partnership_admin:{plural}"),
        )
        for kind, plural, data in (("category", "categories", category_data), ("clause", "clauses", clause_data))
    ),
    *(
        Row(
            f"partnership_admin:{kind}_edit",
            get=PARTNERSHIP_ADMIN,
            post=PARTNERSHIP_ADMIN,
            args=pk_of(plural),
            data=data,
            promise=partnership_page(f"partnership_admin:{plural}"),
        )
        for kind, plural, data in (("category", "categories", category_data), ("clause", "clauses", clause_data))
    ),
    *(
        Row(
            f"partnership_admin:{kind}_active",
            post=PARTNERSHIP_ADMIN,
            args=pk_of(plural),
            data=body(active="0"),
            promise=partnership_page(f"partnership_admin:{plural}"),
        )
        for kind, plural in (("category", "categories"), ("clause", "clauses"))
    ),
    # People administration: the municipality's administrator and the partnership's administrator
    # reach the municipality's people; nobody reaches another partnership's (404).
    Row("administration:people", get=once(ADMINISTRATORS)),
    Row(
        "administration:person",
        get=own_and_foreign(ADMINISTRATORS, ADMINISTRATORS_FOREIGN),
        args=administered,
    ),
    Row(
        "administration:role_grant",
        post=own_and_foreign(ADMINISTRATORS, ADMINISTRATORS_FOREIGN),
        args=administered,
        data=lambda things, key: {"place": f"o{things.world.municipality.pk}", "role": Role.LEADER},
        promise=person_page,
    ),
    Row(
        "administration:role_revoke",
        post=own_and_foreign(ADMINISTRATORS, ADMINISTRATORS_FOREIGN),
        args=administered_membership,
        promise=person_page,
    ),
    Row(
        "administration:unit_move",
        post=own_and_foreign(ADMINISTRATORS, ADMINISTRATORS_FOREIGN),
        args=administered_unit,
        data=lambda things, key: {"unit": Unit.objects.filter(organisation=things.world.municipality).first().pk},
        promise=person_page,
    ),
    Row(
        "administration:person_deactivate",
        get=own_and_foreign(ADMINISTRATORS, ADMINISTRATORS_FOREIGN),
        post=own_and_foreign(ADMINISTRATORS, ADMINISTRATORS_FOREIGN),
        args=administered,
        promise=person_page,
    ),
    Row(
        "administration:person_reactivate",
        post=once(ADMINISTRATORS),
        args=lambda things, key: [things.former],
        promise=lambda things, key: reverse("administration:person", args=[things.former]),
    ),
    Row("administration:audit_log", get=once(ADMINISTRATORS)),
    Row("administration:invitations", get=once(ADMINISTRATORS)),
    Row(
        "administration:invitation_create",
        get=once(ADMINISTRATORS),
        post=once(ADMINISTRATORS),
        data=lambda things, key: {
            "full_name": "Ny Person",
            "email": "ny.person@kommune.test",
            "place": f"o{things.world.municipality.pk}",
            "roles": [Role.REPORTER],
        },
        promise=page("administration:invitations"),
    ),
    *(
        Row(
            name,
            post=own_and_foreign(ADMINISTRATORS, ADMINISTRATORS_FOREIGN),
            args=pk_of("invitations"),
            promise=page("administration:invitations"),
        )
        for name in ("administration:invitation_resend", "administration:invitation_revoke")
    ),
    # The people import: a held file and an import are their uploader's alone (404 for the other
    # administrator); whoever administers nobody is refused (403).
    Row("administration:import_upload_page", get=once(ADMINISTRATORS)),
    Row(
        "administration:import_upload",
        post=once(ADMINISTRATORS),
        data=people_upload_data,
        promise=lambda things, key: reverse(
            "administration:import_preview", args=[HeldPeopleFile.objects.latest("pk").key]
        ),
    ),
    Row("administration:import_preview", get=once(UPLOADER), args=held_people_file),
    Row(
        "administration:import_confirm",
        post=once(UPLOADER),
        args=held_people_file,
        promise=lambda things, key: reverse(
            "administration:import_detail", args=[PeopleImport.objects.latest("pk").pk]
        ),
    ),
    Row(
        "administration:import_discard",
        post=once(UPLOADER),
        args=held_people_file,
        promise=lambda things, key: f"{reverse('administration:import_upload_page')}?p={things.world.partnership.slug}",
    ),
    Row("administration:import_detail", get=once(UPLOADER), args=lambda things, key: [things.people_import]),
    # The link in the e-mail works for whoever holds it, signed in or not, whichever partnership.
    Row(
        "administration:invitation_accept",
        get=own_and_foreign(PUBLIC, PUBLIC),
        post=own_and_foreign(PUBLIC, PUBLIC),
        args=invitation_token,
        data=body(new_password1="Fjordhest-Brunost-42", new_password2="Fjordhest-Brunost-42"),
        promise=page("pages:home"),
        public=True,
    ),
    # Statistics and the council's reports.
    Row(
        "council:statistics",
        get=own_and_foreign(STATISTICS_OWN, STATISTICS_FOREIGN),
        query=partnership_query,
    ),
    Row(
        "council:report_create",
        post=own_and_foreign(STATISTICS_OWN, STATISTICS_FOREIGN),
        data=report_data,
        promise=new_report_page,
    ),
    # A report is looked up among those of the person's own partnerships: 404 for all others.
    Row("council:report", get=own_and_foreign(REPORT_OWN, REPORT_FOREIGN), args=pk_of("reports")),
    Row("council:report_download", get=own_and_foreign(REPORT_OWN, REPORT_FOREIGN), args=pk_of("reports")),
    # Its archive copies (PDF/A, PDF/UA) are for the contact point: 403 for the others who read the report.
    Row(
        "archive:council_report",
        get=own_and_foreign(
            {**REPORT_OWN, "council_member": 403, "admin": 403}, {**REPORT_FOREIGN, "foreigner": OK, "admin": 403}
        ),
        args=lambda things, key: [things.reports[key], "pdf-a"],
    ),
    Row(
        "council:volumes",
        get=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN),
        post=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN),
        query=partnership_query,
        data=volume_data,
        promise=partnership_page("council:volumes"),
    ),
    # The threshold is changed by the partnership's administrator only, not by coordinators or the
    # council; another partnership's administrator finds no such partnership.
    Row(
        "council:threshold",
        get=own_and_foreign(answers(403, partnership_admin=OK), answers(403, partnership_admin=404)),
        post=own_and_foreign(answers(403, partnership_admin=OK), answers(403, partnership_admin=404)),
        query=partnership_query,
        data=threshold_data,
        promise=partnership_page("council:threshold"),
    ),
    # Open to everyone.
    Row("healthz", get=once(answers(("ok", 503), anonymous=("ok", 503))), public=True),
    # Probes: liveness never depends on anything else; readiness on the database and the broker.
    Row("healthz-live", get=once(answers("ok", anonymous="ok")), public=True),
    Row("healthz-ready", get=once(answers(("ok", 503), anonymous=("ok", 503))), public=True),
    # Metrics are for the scraper (METRICS_TOKEN or METRICS_ALLOWED_NETWORKS); in tests the client
    # comes from this machine, which development lets in.
    Row("metrics", get=once(answers("ok", anonymous="ok")), public=True),
    Row(
        "set_language",
        post=once(PUBLIC),
        data=body(language="en", next="/"),
        promise=lambda things, key: "/",  # back to `next`
        changes=False,  # a signed-in person's choice is kept; a visitor's only in a cookie
        public=True,
    ),
    # Two-step login, here as the embedded default has it (SECOND_FACTOR=off): the code page
    # sends a person who owes no code on (to the start page), and set-up does not exist. With it
    # on, the gate is tested in test_second_factor.py.
    Row(
        "second_factor",
        get=once(SIGNED_IN),
        post=once(SIGNED_IN),
        data=body(code="123456"),
        promise=page("pages:home"),
        changes=False,
    ),
    Row("second_factor_setup", get=once(answers(404)), post=once(answers(404)), data=body(code="123456")),
    Row("second_factor_codes", get=once(answers(404)), post=once(answers(404))),
    Row("second_factor_remove", post=once(answers(404))),
    # Single sign-on is not configured here: both ends answer 404, signed in or not (tested with
    # a provider in test_sso.py).
    Row("oidc_authentication_init", get=once(answers(404, anonymous=404)), public=True),
    Row("oidc_authentication_callback", get=once(answers(404, anonymous=404)), public=True),
    # Django's accounts pages.
    Row("login", get=once(PUBLIC), public=True),
    # Logging out ends on the login page.
    Row("logout", post=once(answers(LOGIN)), changes=False),
    Row("password_change", get=once(SIGNED_IN)),
    Row("password_change_done", get=once(SIGNED_IN)),
    Row("password_reset", get=once(PUBLIC), public=True),
    Row("password_reset_done", get=once(PUBLIC), public=True),
    # A made-up link: the page says the link is not valid.
    Row("password_reset_confirm", get=once(PUBLIC), args=lambda things, key: ["MQ", "set-password"], public=True),
    Row("password_reset_complete", get=once(PUBLIC), public=True),
    # Django's admin: staff only. Its other pages are covered by ADMIN_PAGES below.
    Row("admin:index", get=once(STAFF)),
    Row("admin:login", get=once(PUBLIC), public=True),
    # The admin turns away non-staff before it looks at the method: it sends them to its index
    # (and so to its login page) without logging them out. The administrator is logged out.
    Row(
        "admin:logout",
        get=once(answers(OK, admin=405)),
        post=once(answers(OK, admin=LOGIN)),
        promise=page("admin:index"),
        changes=False,
    ),
    Row(
        "admin:cases_deviation_change",
        get=dict.fromkeys(CASE_KEYS, STAFF),
        args=lambda things, key: [things.cases[key]],
    ),
    Row("admin:cases_deviation_changelist", get=once(STAFF)),
]
ROW = {row.name: row for row in ROWS}
assert len(ROW) == len(ROWS), "a URL pattern has two rows"


# The URL patterns --------------------------------------------------------------------------


def url_patterns(resolver=None, namespace=""):
    """(name, names of its arguments) for every named URL pattern of the project."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


# The rest of Django's admin: every page answers only staff. A made-up value fills each
# argument, since anyone else is turned away before any lookup.
ADMIN_ARGUMENT = {"app_label": "cases"}
ADMIN_PAGES = dict(
    sorted((name, args) for name, args in url_patterns() if name.startswith("admin:") and name not in ROW)
)


def test_every_url_pattern_has_a_row():
    names = {name for name, _args in url_patterns()}
    missing = {name for name in names if name not in ROW and not name.startswith("admin:")}
    assert not missing, f"URL patterns without a row in ROWS: {sorted(missing)}"
    assert not set(ROW) - names, f"rows for URL patterns that do not exist: {sorted(set(ROW) - names)}"


# The checks --------------------------------------------------------------------------------

# Read logs and sessions change on reads by design; everything else must not.
# The council's figures of a completed period are frozen when first shown (docs/disclosure.md).
UNWATCHED = {"cases.AccessLog", "operations.WorkerHeartbeat", "council.FrozenFigures"}
VOLATILE_FIELDS = {"last_login"}


def stored_state() -> dict:
    """Every stored row but the watched-away ones, read with plain SQL to keep 1,500 checks fast."""
    state = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model.__module__.startswith("avvik."):
                continue
            if model._meta.label in UNWATCHED:
                continue
            columns = ", ".join(
                connection.ops.quote_name(f.column)
                for f in model._meta.concrete_fields
                if f.name not in VOLATILE_FIELDS
            )
            cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(model._meta.db_table)} ORDER BY 1")  # noqa: S608 - names from the models
            state[model._meta.label] = cursor.fetchall()
    return state


def outcome(response, promised: str | None = None) -> object:
    """LOGIN for a redirect to a login page. With a promised page, OK only for a redirect to it;
    a redirect elsewhere answers "redirect to <where>", any other answer its status code.
    Without one, OK for any other answer below 400."""
    location = response.get("Location", "")
    redirect = response.status_code in (301, 302, 303)
    if redirect and ("/accounts/login/" in location or "/admin/login/" in location):
        return LOGIN
    if promised is not None:
        if redirect:
            return OK if location == promised else f"redirect to {location}"
        return response.status_code
    if response.status_code < 400:
        return OK
    return response.status_code


def cell(answer: Answer) -> str:
    return "|".join(map(cell, answer)) if isinstance(answer, tuple) else str(answer)


def grid(table: dict[str, dict[str, Answer]]) -> str:
    """A table of answers as text: a line per persona, a column per object. Keys that name an
    action ("forward@new") make a block per action, with a column per case."""
    blocks: dict[str, list[str]] = {}
    for key in table:
        blocks.setdefault(key.rpartition("@")[0], []).append(key)
    first = max(map(len, PERSONAS))
    text = []
    for block, keys in blocks.items():
        columns = [key.rpartition("@")[2] for key in keys]
        cells = {persona: [cell(table[key][persona]) for key in keys] for persona in PERSONAS}
        widths = [max(len(column), *(len(row[i]) for row in cells.values())) for i, column in enumerate(columns)]
        lines = [[block, *columns], *([persona, *row] for persona, row in cells.items())]
        text.append(
            "\n".join(
                "  ".join(value.ljust(width) for value, width in zip(line, [first, *widths], strict=True)).rstrip()
                for line in lines
            )
        )
    return "\n\n".join(text)


def table_of(row: Row, method: str) -> dict[str, dict[str, Answer]] | None:
    return getattr(row, method.lower())


def checks():
    for row in ROWS:
        for method in ("GET", "POST"):
            table = getattr(row, method.lower())
            if table is None:
                continue
            for key, by_persona in table.items():
                for persona in PERSONAS:
                    yield pytest.param(
                        row.name, method, key, persona, by_persona[persona], id=f"{row.name}-{method}-{key}-{persona}"
                    )
        if row.get is None:
            # A URL that only takes POST: GET is refused and changes nothing.
            key = next(iter(row.post))
            for persona in PERSONAS:
                expected = 405 if row.public or persona != "anonymous" else LOGIN
                yield pytest.param(row.name, "GET", key, persona, expected, id=f"{row.name}-GET-{key}-{persona}")


def sign_in(client: Client, things: Things, persona: str) -> None:
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = things.sessions[persona]


def ask(client, things: Things, row: Row, method: str, key: str, persona: str):
    sign_in(client, things, persona)
    url = reverse(row.name, args=row.args(things, key))
    if method == "GET":
        return client.get(url, row.query(things, key))
    return client.post(url, row.data(things, key))


@pytest.mark.parametrize(("name", "method", "key", "persona", "expected"), list(checks()))
def test_the_answer_matches_the_matrix(client, db, things, name, method, key, persona, expected):
    row = ROW[name]
    before = stored_state()
    response = ask(client, things, row, method, key, persona)
    promised = row.promise(things, key) if method == "POST" and row.promise else None
    got = outcome(response, promised)
    accepted = expected if isinstance(expected, tuple) else (expected,)
    if got not in accepted:
        block = key.rpartition("@")[0]
        table = table_of(row, method) or {}
        expected_grid = grid({k: v for k, v in table.items() if k.rpartition("@")[0] == block})
        pytest.fail(
            f"{persona} {method} {name} [{key}]: got {got} ({response.status_code}), expected {cell(expected)}"
            + (f"\n\n{method} {name}, expected:\n{expected_grid}" if expected_grid else "")
        )
    changed = stored_state() != before
    if method == "GET" or got != OK:
        assert not changed, f"{persona} {method} {name} [{key}] changed stored data"
    elif row.changes:
        assert changed, f"{persona} {method} {name} [{key}] was allowed but changed nothing"


@pytest.mark.parametrize("name", ROW)
def test_each_row_reads_as_a_grid(name):
    """Every cell is written down, for every persona; `pytest -s -k grid` prints the grids."""
    row = ROW[name]
    for method in ("GET", "POST"):
        table = table_of(row, method)
        if table is None:
            continue
        for key, by_persona in table.items():
            assert list(by_persona) == PERSONAS, f"{method} {name} [{key}] does not name every persona in order"
        text = grid(table)
        assert len(text.splitlines()) >= len(PERSONAS) + 1
        print(f"\n{method} {name}\n{text}")


def test_every_action_and_state_is_in_the_matrix():
    assert set(ACTIONS) == set(Action.values), "an action without a column in the matrix"
    assert {CASE_STATUS[key] for key in CASE_KEYS} == set(Status.values), "a state without a case in the matrix"
    assert len(ROW["cases:action"].post) == len(ACTIONS) * len(CASE_KEYS)


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize("persona", ["anonymous", "nobody", "coordinator"])  # the admin asks only is_staff
def test_the_rest_of_the_admin_is_for_staff_only(client, db, things, name, persona):
    if persona != "anonymous":
        client.force_login(things.people[persona])
    url = reverse(name, kwargs={arg: ADMIN_ARGUMENT.get(arg, "1") for arg in ADMIN_PAGES[name]})
    assert outcome(client.get(url)) == LOGIN, (name, persona)


# Lists and exports: a case appears only where its reader may see it ------------------------

OWN_CASES = set(CASE_KEYS) - {"foreign"}
FORWARDED_CASES = {"forwarded", "open", "waiting", "answered", "closed", "merged"}
# list: persona -> the cases it shows them (a persona not named sees none, or is refused the list).
# The reporters who filed none of them (colleague_reporter, counterpart_reporter) see an empty list.
LIST_SEES = {
    "cases:mine": {"reporter": OWN_CASES},
    # What the organisation still works on: answered and closed cases only with a status filter.
    "cases:handling": {"handler": {"forwarded", "open", "waiting"}, "org_admin": {"forwarded", "open", "waiting"}},
    # The handler accepted every case forwarded to the municipality; the closed one has ended.
    "cases:assigned": {"handler": {"open", "waiting", "answered"}},
    "cases:unassigned": {"handler": {"forwarded"}, "org_admin": {"forwarded"}},
    "cases:answered": {"coordinator": {"answered"}},
    "cases:waiting": {"coordinator": {"waiting"}},
    "cases:triage": {"coordinator": {"new"}, "foreigner": {"foreign"}},
    "cases:all": {
        "reporter": OWN_CASES,
        "hospital_handler": OWN_CASES,
        "coordinator": OWN_CASES,
        "handler": FORWARDED_CASES,
        "org_admin": FORWARDED_CASES,
        "foreigner": {"foreign"},
    },
}


@pytest.mark.parametrize("name", sorted(LIST_SEES))
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
@pytest.mark.parametrize("export", [False, True])
def test_lists_and_exports_show_a_case_only_to_those_who_may_see_it(client, db, things, name, persona, export):
    sign_in(client, things, persona)
    response = client.get(reverse(name), {"format": "csv"} if export else {})
    sees = LIST_SEES[name].get(persona, set())
    if response.status_code == 403:
        assert not sees, f"{persona} is refused {name} but should see {sorted(sees)}"
        return
    assert response.status_code == 200
    content = response.getvalue().decode("utf-8-sig")
    shown = {key for key in CASE_KEYS if things.reference(key) in content}
    assert shown == sees, (name, persona)


@pytest.mark.parametrize("name", sorted(LIST_SEES))
@pytest.mark.parametrize("persona", ["coordinator", "foreigner"])
def test_an_excel_export_made_by_the_worker_shows_what_the_list_shows(
    client, db, things, name, persona, settings, tmp_path
):
    from openpyxl import load_workbook

    from avvik.exports.tasks import build_export

    settings.MEDIA_ROOT = tmp_path
    sign_in(client, things, persona)
    response = client.get(reverse(name), {"format": "xlsx"})
    if response.status_code == 403:
        assert not LIST_SEES[name].get(persona), f"{persona} is refused the export of {name}"
        return
    export = Export.objects.filter(requested_by=things.people[persona]).latest("pk")
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    build_export(export.pk)
    export.refresh_from_db()
    with export.file.open("rb") as file:
        cells = {str(row[0]) for row in load_workbook(file).active.iter_rows(values_only=True)}
    shown = {key for key in CASE_KEYS if things.reference(key) in cells}
    assert shown == LIST_SEES[name].get(persona, set()), (name, persona)


def test_an_attachment_of_another_case_is_not_reachable_through_a_visible_case(client, db, things):
    sign_in(client, things, "reporter")
    foreign_attachment = things.case("foreign").attachments.get()
    url = reverse("cases:attachment", args=[things.reference("open"), foreign_attachment.pk])
    assert client.get(url).status_code == 404


def test_an_unknown_action_is_refused_without_a_change(client, db, things):
    sign_in(client, things, "coordinator")
    before = stored_state()
    response = client.post(reverse("cases:action", args=[things.reference("open"), "delete"]))
    assert response.status_code == 403
    assert stored_state() == before


def test_admin_reads_are_access_logged(client, db, things):
    from avvik.cases.models.logs import AccessLog

    admin = things.people["admin"]
    client.force_login(admin)
    case = things.case("foreign")
    assert client.get(reverse("admin:cases_deviation_change", args=[case.pk])).status_code == 200
    assert AccessLog.objects.filter(user=admin, deviation=case).exists()
