"""Visibility: every URL pattern, persona and object gets the answer what the matrix below says.

ROWS is the one table. Each row names a URL pattern and, for each method it takes, the answer
every persona gets for every kind of object the URL is about: cases in different states and a
case of another partnership, or reports, notifications, deadlines and closure days of this
partnership and of another one. A URL pattern without a row fails the test, so adding a URL
means adding a row.

A refused request, and any GET, must leave the stored data as it was; an allowed POST must
change it (so a refusal cannot hide behind a form error). The world is built once for the
module; each check runs in its own savepoint and is rolled back.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from avvik.cases.choices import Status
from avvik.cases.forms.filing import DeviationEditForm
from avvik.cases.models.deviation import Deviation
from avvik.council.choices import ReportStatus
from avvik.council.models import CouncilReport
from avvik.deadlines.models import ClosureDay, DeadlinePolicy
from avvik.outbox.choices import NotificationStatus
from avvik.outbox.models import Notification
from avvik.tenancy.models import Organisation, User
from tests.builders import drive, file_case, filing_form_data
from tests.conftest import World, build_world, make_persona
from tests.factories import OrganisationFactory

PERSONAS = [
    "reporter",  # reported the cases, at the hospital
    "handler",  # handles for the municipality, where the cases are forwarded
    "org_admin",  # the municipality's organisation administrator, who handles for it too
    "hospital_handler",  # handles for the reporter's own organisation
    "coordinator",  # the contact point of this partnership
    "council_member",
    "outsider",  # a handler in a third organisation of this partnership
    "foreigner",  # the coordinator of another partnership
    "nobody",  # signed in, no role anywhere
    "admin",  # a superuser with no role: sees every case, logged
    "anonymous",
]

OK = "ok"  # 2xx, or a redirect that is not to a login page
LOGIN = "login"  # sent to a login page
Answer = str | int | tuple  # a tuple lists answers that are all right (healthz: 200 or 503)


def answers(default: Answer = 403, *, anonymous: Answer = LOGIN, **persona: Answer) -> dict[str, Answer]:
    """`default` for every signed-in persona, `anonymous` for the rest, except those named."""
    unknown = set(persona) - set(PERSONAS)
    assert not unknown, unknown
    return {**dict.fromkeys(PERSONAS, default), "anonymous": anonymous, **persona}


# Objects -----------------------------------------------------------------------------------
#
# Cases: "new" is submitted by the reporter and not yet forwarded; "open" is in progress at the
# municipality, with a patient reference, an attachment and a statutory alert due; "closed" is
# answered and closed; "foreign" belongs to the other partnership (its coordinator sees it).
# Everything else has an "own" object in this partnership and a "foreign" one in the other.


@dataclass
class Things:
    world: World
    people: dict[str, User]
    cases: dict[str, int] = field(default_factory=dict)
    reports: dict[str, int] = field(default_factory=dict)
    notifications: dict[str, int] = field(default_factory=dict)
    policies: dict[str, int] = field(default_factory=dict)
    closures: dict[str, int] = field(default_factory=dict)
    foreign_counterpart: Organisation | None = None

    def case(self, key: str) -> Deviation:
        return Deviation.objects.get(pk=self.cases[key])

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

    things.cases["new"] = file_case(reporter, world.municipality).pk
    things.cases["open"] = drive(
        file_case(reporter, world.municipality, patient=True, attachment=True, consequence="serious", unexpected=True),
        Status.IN_PROGRESS,
        **path,
    ).pk
    things.cases["closed"] = drive(file_case(reporter, world.municipality, attachment=True), Status.CLOSED, **path).pk
    things.foreign_counterpart = OrganisationFactory(partnership=world.other_partnership, name="Annen kommune")
    things.cases["foreign"] = file_case(
        people["other_reporter"],
        things.foreign_counterpart,
        patient=True,
        attachment=True,
        consequence="serious",
        unexpected=True,
    ).pk

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
        things.closures[key] = ClosureDay.objects.create(
            partnership=partnership, date=date(timezone.localdate().year + 1, 7, 1), name="Sommerstengt"
        ).pk
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


# How to ask: URL arguments, query and body for an object -----------------------------------


def no_args(things: Things, key: str) -> list:
    return []


def reference(things: Things, key: str) -> list:
    return [things.case(key).reference]


def attachment(things: Things, key: str) -> list:
    case = things.case(key)
    return [case.reference, case.attachments.first().pk]


def partnership_query(things: Things, key: str) -> dict:
    return {"p": things.partnership(key).slug}


def pk_of(kind: str) -> Callable[[Things, str], list]:
    return lambda things, key: [getattr(things, kind)[key]]


# One action a case in each state can take, and who takes it.
ACTION_FOR = {"new": "forward", "open": "answer", "closed": "reopen", "foreign": "forward"}


def action_args(things: Things, key: str) -> list:
    return [things.case(key).reference, ACTION_FOR[key]]


def action_data(things: Things, key: str) -> dict:
    case = things.case(key)
    action = ACTION_FOR[key]
    data = {"version": case.version, "note": "Notat"}
    if action == "forward":
        data |= {"to": case.counterpart_id, "category": case.category_id}
    if action == "answer":
        data |= {"cause": "Årsak", "measures": "Tiltak", "measures_done": "false"}
    return {f"{action}-{name}": value for name, value in data.items()}


def edit_data(things: Things, key: str) -> dict:
    """The edit form as the page fills it in, with a new title."""
    form = DeviationEditForm(instance=things.case(key))
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
    return filing_form_data(things.world)


def upload_data(things: Things, key: str) -> dict:
    return {"files": SimpleUploadedFile("logg.txt", b"linje", "text/plain")}


def policy_data(things: Things, key: str) -> dict:
    return {"p": things.partnership(key).slug, "form": "policy", "policy-triage_days": 3, "policy-answer_days": 9}


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


def report_data(things: Things, key: str) -> dict:
    return {"p": things.partnership(key).slug, "period": "2026Q1"}


def body(**data) -> Callable[[Things, str], dict]:
    return lambda things, key: data


# The answers -------------------------------------------------------------------------------

# Cases. The reporter's organisation and the responsible one read a case; the partnership's
# coordinators read all of it; nobody else learns that it exists.
READ = answers(404, reporter=OK, handler=OK, org_admin=OK, hospital_handler=OK, coordinator=OK, admin=OK)
READ_NEW = {**READ, "handler": 404, "org_admin": 404}  # not yet forwarded: the counterpart sees nothing
READ_FOREIGN = answers(404, foreigner=OK, admin=OK)
# Inside the case, refusals are 403: the person may know that the case exists.
PATIENT = {**READ, "reporter": 403, "admin": 403}
PATIENT_NEW = {**READ_NEW, "reporter": 403, "admin": 403}
PATIENT_FOREIGN = {**READ_FOREIGN, "admin": 403}
COORDINATOR = {**READ, "reporter": 403, "handler": 403, "org_admin": 403, "hospital_handler": 403, "admin": 403}
COORDINATOR_NEW = {**COORDINATOR, "handler": 404, "org_admin": 404}
COORDINATOR_FOREIGN = {**READ_FOREIGN, "admin": 403}
CLOSED_FOR_ALL = {**COORDINATOR, "coordinator": 403}
PARTIES = {**READ, "admin": 403}  # comment, upload: both organisations and the coordinators
PARTIES_NEW = {**READ_NEW, "admin": 403}
PARTIES_FOREIGN = {**READ_FOREIGN, "admin": 403}

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
PUBLIC = answers(OK, anonymous=OK)
STAFF = answers(LOGIN, admin=OK)  # Django's admin sends everyone else to its own login page


@dataclass(frozen=True)
class Row:
    """One URL pattern: the answer per object and persona, for GET and for POST.

    Leaving `get` out says that GET is refused (405) without changing anything.
    """

    name: str
    get: dict[str, dict[str, Answer]] | None = None
    post: dict[str, dict[str, Answer]] | None = None
    args: Callable[[Things, str], list] = no_args
    query: Callable[[Things, str], dict] = lambda things, key: {}
    data: Callable[[Things, str], dict] = lambda things, key: {}
    changes: bool = True  # an allowed POST changes stored data
    public: bool = False  # opted out of the login requirement


def cases(new, open, closed, foreign) -> dict:
    return {"new": new, "open": open, "closed": closed, "foreign": foreign}


def own_and_foreign(own, foreign) -> dict:
    return {"own": own, "foreign": foreign}


def once(table: dict[str, Answer]) -> dict:
    return {"-": table}


ROWS = [
    # The start page sends each person to their own list; without a role, a page that says so.
    Row("pages:home", get=once(SIGNED_IN)),
    Row(
        "cases:new",
        get=once(answers(reporter=OK)),
        post=once(answers(reporter=OK)),
        data=new_case_data,
    ),
    Row("cases:mine", get=once(answers(reporter=OK))),
    Row("cases:handling", get=once(answers(handler=OK, org_admin=OK, hospital_handler=OK, outsider=OK))),
    Row("cases:triage", get=once(answers(coordinator=OK, foreigner=OK))),
    Row(
        "cases:all",
        get=once(
            answers(
                reporter=OK, handler=OK, org_admin=OK, hospital_handler=OK, coordinator=OK, outsider=OK, foreigner=OK
            )
        ),
    ),
    # The case and everything under it.
    Row("cases:detail", get=cases(READ_NEW, READ, READ, READ_FOREIGN), args=reference),
    Row(
        "cases:edit",
        # The reporter corrects their case until triage; coordinators until it ends.
        get=cases({**COORDINATOR_NEW, "reporter": OK}, COORDINATOR, CLOSED_FOR_ALL, COORDINATOR_FOREIGN),
        post=cases({**COORDINATOR_NEW, "reporter": OK}, COORDINATOR, CLOSED_FOR_ALL, COORDINATOR_FOREIGN),
        args=reference,
        data=edit_data,
    ),
    Row(
        "cases:action",
        # new: forward (coordinator); open: answer (the responsible handler); closed: reopen
        # (coordinator); foreign: forward (that partnership's coordinator).
        post=cases(
            COORDINATOR_NEW,
            {**COORDINATOR, "handler": OK, "org_admin": OK, "coordinator": 403},
            COORDINATOR,
            COORDINATOR_FOREIGN,
        ),
        args=action_args,
        data=action_data,
    ),
    # An ended case takes no more messages or files, from anyone, until it is reopened.
    Row(
        "cases:comment",
        post=cases(PARTIES_NEW, PARTIES, CLOSED_FOR_ALL, PARTIES_FOREIGN),
        args=reference,
        data=body(body="Hei"),
    ),
    Row(
        "cases:attachment_create",
        post=cases(PARTIES_NEW, PARTIES, CLOSED_FOR_ALL, PARTIES_FOREIGN),
        args=reference,
        data=upload_data,
    ),
    Row(
        "cases:attachment",
        get={"open": READ, "closed": READ, "foreign": READ_FOREIGN},
        args=attachment,
    ),
    Row(
        "cases:alert",
        # Only a serious, unexpected event (the open and the foreign case) takes a statutory alert.
        post=cases(
            {**COORDINATOR_NEW, "coordinator": 403, "hospital_handler": 403},
            PATIENT,
            CLOSED_FOR_ALL,
            COORDINATOR_FOREIGN,
        ),
        args=reference,
        data=lambda things, key: {"sent_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    ),
    Row(
        "cases:patient",
        get={"open": PATIENT, "new": PATIENT_NEW, "foreign": PATIENT_FOREIGN},
        args=reference,
    ),
    Row("cases:access_log", get=cases(COORDINATOR_NEW, COORDINATOR, COORDINATOR, COORDINATOR_FOREIGN), args=reference),
    Row(
        "council:council_summary",
        post=cases(COORDINATOR_NEW, COORDINATOR, COORDINATOR, COORDINATOR_FOREIGN),
        args=reference,
        data=body(text="Epikrise sendt til feil adresse."),
    ),
    # Notifications that could not be delivered, for the contact point.
    Row("outbox:failed_notifications", get=once(answers(coordinator=OK, foreigner=OK))),
    Row(
        "outbox:notification_resend",
        post=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN),
        args=pk_of("notifications"),
    ),
    # A person's own pages.
    Row(
        "preferences",
        get=once(SIGNED_IN),
        post=once(SIGNED_IN),
        data=body(notification_delivery="daily", language="nn"),
    ),
    Row("cases:my_access_log", get=once(SIGNED_IN)),
    Row("pages:organisations", get=once(answers(OK, nobody=403, admin=403))),
    Row("pages:accessibility", get=once(PUBLIC), public=True),
    # Deadlines and closure days: the partnership is chosen with ?p=.
    Row(
        "deadlines:deadlines",
        get=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN),
        post=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN),
        query=partnership_query,
        data=policy_data,
    ),
    Row(
        "deadlines:deadline_delete",
        post=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN),
        args=pk_of("policies"),
    ),
    Row(
        "deadlines:closure_day_delete",
        post=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN),
        args=pk_of("closures"),
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
    ),
    # A report is looked up among those of the person's own partnerships: 404 for all others.
    Row("council:report", get=own_and_foreign(REPORT_OWN, REPORT_FOREIGN), args=pk_of("reports")),
    Row("council:report_download", get=own_and_foreign(REPORT_OWN, REPORT_FOREIGN), args=pk_of("reports")),
    Row(
        "council:volumes",
        get=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN),
        post=own_and_foreign(COORDINATORS_OWN, COORDINATORS_FOREIGN),
        query=partnership_query,
        data=volume_data,
    ),
    # Open to everyone.
    Row("healthz", get=once(answers(("ok", 503), anonymous=("ok", 503))), public=True),
    Row(
        "set_language",
        post=once(PUBLIC),
        data=body(language="en", next="/"),
        changes=False,  # a signed-in person's choice is kept; a visitor's only in a cookie
        public=True,
    ),
    # Two-step login, here as the embedded default has it (SECOND_FACTOR=off): the code page
    # sends a person who owes no code on, and set-up does not exist. With it on, the gate is
    # tested in test_second_factor.py.
    Row("second_factor", get=once(SIGNED_IN), post=once(SIGNED_IN), data=body(code="123456"), changes=False),
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
    # The admin turns away non-staff before it looks at the method.
    # The admin sends non-staff who log out to its index (and so to its login page).
    Row("admin:logout", get=once(answers(OK, admin=405)), post=once(answers(OK, admin=LOGIN)), changes=False),
    Row(
        "admin:cases_deviation_change",
        get={"open": STAFF, "foreign": STAFF},
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
UNWATCHED = {"cases.AccessLog", "operations.WorkerHeartbeat"}
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


def outcome(response) -> object:
    location = response.get("Location", "")
    if response.status_code in (301, 302) and ("/accounts/login/" in location or "/admin/login/" in location):
        return LOGIN
    if response.status_code < 400:
        return OK
    return response.status_code


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


def ask(client, things: Things, row: Row, method: str, key: str, persona: str):
    if persona != "anonymous":
        client.force_login(things.people[persona])
    url = reverse(row.name, args=row.args(things, key))
    if method == "GET":
        return client.get(url, row.query(things, key))
    return client.post(url, row.data(things, key))


@pytest.mark.parametrize(("name", "method", "key", "persona", "expected"), list(checks()))
def test_the_answer_matches_the_matrix(client, db, things, name, method, key, persona, expected):
    row = ROW[name]
    before = stored_state()
    response = ask(client, things, row, method, key, persona)
    got = outcome(response)
    accepted = expected if isinstance(expected, tuple) else (expected,)
    assert got in accepted, f"{persona} {method} {name} [{key}]: {response.status_code}, expected {expected}"
    changed = stored_state() != before
    if method == "GET" or got != OK:
        assert not changed, f"{persona} {method} {name} [{key}] changed stored data"
    elif row.changes:
        assert changed, f"{persona} {method} {name} [{key}] was allowed but changed nothing"


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize("persona", ["anonymous", "nobody", "coordinator"])  # the admin asks only is_staff
def test_the_rest_of_the_admin_is_for_staff_only(client, db, things, name, persona):
    if persona != "anonymous":
        client.force_login(things.people[persona])
    url = reverse(name, kwargs={arg: ADMIN_ARGUMENT.get(arg, "1") for arg in ADMIN_PAGES[name]})
    assert outcome(client.get(url)) == LOGIN, (name, persona)


# Lists and exports: a case appears only where its reader may see it ------------------------

LIST_SEES = {
    "cases:mine": {"new": {"reporter"}, "open": {"reporter"}, "foreign": set()},
    "cases:handling": {"new": set(), "open": {"handler", "org_admin"}, "foreign": set()},
    "cases:triage": {"new": {"coordinator"}, "open": set(), "foreign": {"foreigner"}},
    "cases:all": {
        "new": {"reporter", "hospital_handler", "coordinator"},
        "open": {"reporter", "handler", "org_admin", "hospital_handler", "coordinator"},
        "foreign": {"foreigner"},
    },
}


@pytest.mark.parametrize("name", sorted(LIST_SEES))
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
@pytest.mark.parametrize("export", [False, True])
def test_lists_and_exports_show_a_case_only_to_those_who_may_see_it(client, db, things, name, persona, export):
    client.force_login(things.people[persona])
    response = client.get(reverse(name), {"format": "csv"} if export else {})
    if response.status_code == 403:
        assert not any(persona in seen for seen in LIST_SEES[name].values())
        return
    assert response.status_code == 200
    content = response.getvalue().decode("utf-8-sig")
    for key, seen in LIST_SEES[name].items():
        assert (things.case(key).reference in content) == (persona in seen), (name, persona, key)


def test_an_attachment_of_another_case_is_not_reachable_through_a_visible_case(client, db, things):
    client.force_login(things.people["reporter"])
    foreign_attachment = things.case("foreign").attachments.get()
    url = reverse("cases:attachment", args=[things.case("open").reference, foreign_attachment.pk])
    assert client.get(url).status_code == 404


def test_an_unknown_action_is_refused_without_a_change(client, db, things):
    client.force_login(things.people["coordinator"])
    before = stored_state()
    response = client.post(reverse("cases:action", args=[things.case("open").reference, "delete"]))
    assert response.status_code == 403
    assert stored_state() == before


def test_admin_reads_are_access_logged(client, db, things):
    from avvik.cases.models.logs import AccessLog

    admin = things.people["admin"]
    client.force_login(admin)
    case = things.case("foreign")
    assert client.get(reverse("admin:cases_deviation_change", args=[case.pk])).status_code == 200
    assert AccessLog.objects.filter(user=admin, deviation=case).exists()
