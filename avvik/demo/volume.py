"""Volume data for load tests: many partnerships and up to millions of cases, written in bulk.

Cases are generated as plain rows (no services, no signals, no e-mail) but keep the invariants
the services keep: a transition row per step, timestamps and deadlines that match the status,
references from the per-year counter. On PostgreSQL rows go in with COPY; elsewhere with
bulk_create. Loaded by `manage.py seed_volume`."""

import math
import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.postgres.indexes import GinIndex
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from avvik.administration.services import partnership_setup
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation, ReferenceCounter
from avvik.cases.models.records import Comment, PatientReference, Transition
from avvik.cases.search import search_vector
from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import AgreementClause, Category
from avvik.core import crypto
from avvik.deadlines.due_dates import calendar_for, policy_days
from avvik.demo.cases import COUNCIL_SUMMARIES, SCENARIOS
from avvik.tenancy.choices import OrganisationKind, Role, WrittenForm
from avvik.tenancy.models import Membership, Organisation, Partnership, Unit, User

VOLUME_PASSWORD = "volum-samhandling"  # noqa: S105  (load-test data only, printed by the command)


SLUG_PREFIX = "volum-"


EMAIL_DOMAIN = "volum.test"


YEARS = 9.9  # under the ten-year case retention, so the retention job has nothing to anonymise


GROWTH_PER_YEAR = 0.17  # volume roughly doubles in four years: recent years hold most cases


_FIRST = ["Berg", "Fjord", "Dal", "Vik", "Nes", "Holm", "Lund", "Strand", "Haug", "Eid", "Sand", "Skog", "Å", "Li"]


_LAST = ["vik", "nes", "dal", "berg", "fjord", "øy", "land", "by", "stad", "heim", "våg", "mo", "sund", "haug"]


_HOSPITAL_UNITS = [
    "Medisinsk avdeling",
    "Kirurgisk avdeling",
    "Akuttmottak",
    "Avdeling for laboratoriemedisin",
    "Radiologisk avdeling",
    "Ortopedisk avdeling",
    "Geriatrisk avdeling",
    "Psykisk helsevern",
]


_MUNICIPAL_UNITS = ["Hjemmetjenesten", "Sykehjemmet", "Legevakten", "Tildelingskontoret", "Fastlegekontoret"]


_DETAILS = [
    "Feilen ble oppdaget ved morgenmøtet.",
    "Pasienten var ikke skadet, men tiltaket ble forsinket.",
    "Det samme skjedde også forrige uke.",
    "Vakthavende lege ble kontaktet per telefon.",
    "Meldingen lå i kø i flere timer før den ble sendt.",
    "Mottaker fikk ikke varsel om meldingen i journalsystemet.",
    "Legemiddellisten måtte innhentes fra kjernejournal.",
    "Sykepleier på kveldsvakt fulgte opp saken.",
    "Avviket ble diskutert på samhandlingsmøtet.",
    "Utskrivningen skjedde sent på kvelden.",
]


# (status, weight) for cases still open, young (under two days) and older.
_OPEN_YOUNG = [(Status.SUBMITTED, 55), (Status.FORWARDED, 30), (Status.IN_PROGRESS, 15)]


_OPEN_OLDER = [
    (Status.SUBMITTED, 10),
    (Status.FORWARDED, 25),
    (Status.IN_PROGRESS, 40),
    (Status.WAITING, 10),
    (Status.ANSWERED, 15),
]


_CONSEQUENCES = [
    (Consequence.NONE, 30),
    (Consequence.MINOR, 40),
    (Consequence.MODERATE, 20),
    (Consequence.SERIOUS, 8),
    (Consequence.CRITICAL, 2),
]


_DAY = 86400.0


@dataclass
class Org:
    pk: int
    kind: str
    her_id: str
    units: list[int]
    reporters: list[int] = field(default_factory=list)
    handlers: list[int] = field(default_factory=list)
    weight: float = 1.0


@dataclass
class Tenant:
    """One partnership as the generator needs it: ids only, nothing that hits the database per case."""

    pk: int
    orgs: list[Org]
    hospitals: list[Org]
    municipalities: list[Org]
    others: list[Org]
    coordinators: list[int]
    scenarios: list[tuple]  # SCENARIOS with category and clause ids
    calendar: object
    policies: dict[tuple[int, str], tuple[int, int]]


@dataclass
class Progress:
    created: int = 0
    transitions: int = 0
    comments: int = 0
    patients: int = 0


def _orgnr(number: int) -> str:
    """A valid organisation number (mod 11) from an eight-digit base; None when no check digit exists."""
    digits = f"{number:08d}"
    total = sum(int(d) * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else digits + str(check)


def _org_numbers(start: int) -> Iterator[str]:
    base = start
    taken = set(Organisation.objects.values_list("organisation_number", flat=True))
    while True:
        number = _orgnr(base)
        base += 1
        if number and number not in taken:
            yield number


@transaction.atomic
def tenancy_create(partnerships: int, seed: int) -> list[Partnership]:
    """The volume partnerships, each a hospital trust, 6-24 municipalities and a joint emergency
    clinic, with units and people in every role; what exists already is kept."""
    rng = random.Random(seed)
    password = make_password(VOLUME_PASSWORD)  # hashed once: hashing per person would take minutes
    numbers = _org_numbers(92000000)
    result = []
    for index in range(1, partnerships + 1):
        slug = f"{SLUG_PREFIX}{index:02d}"
        partnership, created = Partnership.objects.get_or_create(
            slug=slug, defaults={"name": f"Helsefellesskap Volum {index:02d}"}
        )
        result.append(partnership)
        sizes = rng.randint(6, 24)  # drawn even when the partnership exists, so later ones stay the same
        if not created:
            continue
        partnership_setup(partnership=partnership)
        names = [f"{a}{b}" for a in _FIRST for b in _LAST]
        rng.shuffle(names)
        specs = [(f"{names[0]} sykehus HF", OrganisationKind.HOSPITAL_TRUST, _HOSPITAL_UNITS)]
        specs += [(f"{name} kommune", OrganisationKind.MUNICIPALITY, _MUNICIPAL_UNITS) for name in names[1 : sizes + 1]]
        specs.append((f"{names[sizes + 1]} interkommunale legevakt", OrganisationKind.OTHER, ["Legevakten"]))
        users, memberships = [], []
        coordinators = [
            (f"koordinator{n}@{slug}.{EMAIL_DOMAIN}", f"Koordinator {n} {slug}", Role.COORDINATOR) for n in (1, 2)
        ]
        council = [(f"fagrad@{slug}.{EMAIL_DOMAIN}", f"Fagrådsmedlem {slug}", Role.COUNCIL)]
        for email, name, role in coordinators + council:
            users.append(User(email=email, full_name=name, password=password))
            memberships.append((email, role, None))
        for org_index, (name, kind, unit_names) in enumerate(specs):
            her_id = str(9000000 + index * 1000 + org_index * 10)
            organisation = Organisation.objects.create(
                partnership=partnership,
                name=name,
                kind=kind,
                organisation_number=next(numbers),
                her_id=her_id,
                written_form=WrittenForm.NYNORSK if rng.random() < 0.25 else WrittenForm.BOKMAL,
            )
            Unit.objects.bulk_create(
                Unit(organisation=organisation, name=unit, her_id=str(int(her_id) + 1 + n))
                for n, unit in enumerate(unit_names)
            )
            hospital = kind == OrganisationKind.HOSPITAL_TRUST
            people = [(Role.REPORTER, "melder", 10 if hospital else 2), (Role.HANDLER, "avvik", 3 if hospital else 2)]
            people.append((Role.ORG_ADMIN, "leder", 1))
            for role, local, count in people:
                for n in range(1, count + 1):
                    email = f"{local}{n}.org{org_index:02d}@{slug}.{EMAIL_DOMAIN}"
                    users.append(User(email=email, full_name=f"{local.title()} {n} {name}", password=password))
                    memberships.append((email, role, organisation))
        User.objects.bulk_create(users)
        ids = dict(User.objects.filter(email__endswith=f"@{slug}.{EMAIL_DOMAIN}").values_list("email", "pk"))
        Membership.objects.bulk_create(
            Membership(user_id=ids[email], role=role, partnership=partnership, organisation=organisation)
            for email, role, organisation in memberships
        )
    return result


def _tenant(partnership: Partnership) -> Tenant:
    orgs = {}
    for org in Organisation.objects.filter(partnership=partnership).order_by("pk"):
        orgs[org.pk] = Org(pk=org.pk, kind=org.kind, her_id=org.her_id, units=[])
    for unit_id, org_id in Unit.objects.filter(organisation__in=orgs).values_list("pk", "organisation_id"):
        orgs[org_id].units.append(unit_id)
    coordinators = []
    for user_id, role, org_id in Membership.objects.filter(partnership=partnership, user__is_active=True).values_list(
        "user_id", "role", "organisation_id"
    ):
        if role == Role.REPORTER:
            orgs[org_id].reporters.append(user_id)
        elif role == Role.HANDLER:
            orgs[org_id].handlers.append(user_id)
        elif role == Role.COORDINATOR:
            coordinators.append(user_id)
    usable = [o for o in orgs.values() if o.reporters and o.handlers]
    # Bigger municipalities report more: a Zipf-like weight by position.
    municipalities = [o for o in usable if o.kind == OrganisationKind.MUNICIPALITY]
    for rank, org in enumerate(municipalities, start=1):
        org.weight = 1 / rank**0.8
    categories = dict(Category.objects.filter(partnership=partnership).values_list("name", "pk"))
    clauses = dict(AgreementClause.objects.filter(partnership=partnership).values_list("code", "pk"))
    scenarios = [(categories[s[0]], clauses.get(s[1]), *s[2:]) for s in SCENARIOS if s[0] in categories] or [
        (next(iter(categories.values())), None, "", "", "Avvik", "Avvik i samhandlingen.", "", "")
    ]
    policies = {}
    probe = Deviation(partnership_id=partnership.pk)
    for category_id in categories.values():
        for consequence in Consequence.values:
            probe.category_id, probe.consequence = category_id, consequence
            policies[(category_id, consequence)] = policy_days(probe)
    return Tenant(
        pk=partnership.pk,
        orgs=usable,
        hospitals=[o for o in usable if o.kind == OrganisationKind.HOSPITAL_TRUST],
        municipalities=municipalities,
        others=[o for o in usable if o.kind == OrganisationKind.OTHER],
        coordinators=coordinators,
        scenarios=scenarios,
        calendar=calendar_for(partnership.pk),
        policies=policies,
    )


def _creation_times(count: int, now: float, rng: random.Random) -> list[float]:
    """`count` moments over the last YEARS years, more in recent years, mostly on working hours; sorted."""
    span = YEARS * 365 * _DAY
    rate = GROWTH_PER_YEAR / (365 * _DAY)
    scale = math.expm1(rate * span)
    start = now - span
    tz = ZoneInfo(settings.TIME_ZONE)
    times = []
    for _ in range(count):
        moment = start + math.log1p(rng.random() * scale) / rate
        local = datetime.fromtimestamp(moment, tz)
        weekday = local.weekday()
        if weekday >= 5 and rng.random() < 0.75:  # most deviations are filed on working days
            moment -= (weekday - 4) * _DAY
        hour = local.hour + local.minute / 60
        if not 7 <= hour < 17 and rng.random() < 0.7:
            moment += (rng.uniform(7.5, 15.5) - hour) * 3600
        times.append(min(moment, now - 60))
    times.sort()
    return times


def _pick(rng: random.Random, weighted: list[tuple]) -> object:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


class Generator:
    """Builds the rows of one case at a time; caches calendar arithmetic, which repeats a lot."""

    def __init__(self, tenants: list[Tenant], now: datetime, rng: random.Random):
        self.tenants = tenants
        self.tenant_weights = [len(t.orgs) for t in tenants]
        self.now = now
        self.now_ts = now.timestamp()
        self.rng = rng
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self._due: dict = {}
        self._between: dict = {}
        self.columns = [f.attname for f in Deviation._meta.concrete_fields]
        # Blank text is "" in the database, everything else left out is NULL.
        self.defaults = {
            f.attname: "" if not f.null and f.get_internal_type() in ("CharField", "TextField") else None
            for f in Deviation._meta.concrete_fields
        }
        names = [f"Demo Pasient {n}" for n in range(1, 21)]
        # Fernet is slow; a handful of real ciphertexts is reused across the few cases that carry one.
        self.patient_tokens = [(crypto.encrypt(name), crypto.encrypt("")) for name in names]
        self.patient_cutoff = self.now_ts - settings.PATIENT_RETENTION_DAYS * _DAY

    def local_date(self, ts: float) -> date:
        return datetime.fromtimestamp(ts, self.tz).date()

    def add_days(self, tenant: Tenant, start: date, days: int) -> date:
        key = (tenant.pk, start, days)
        if key not in self._due:
            self._due[key] = tenant.calendar.add_working_days(start, days)
        return self._due[key]

    def between(self, tenant: Tenant, start: date, end: date) -> int:
        key = (tenant.pk, start, end)
        if key not in self._between:
            self._between[key] = tenant.calendar.working_days_between(start, end)
        return self._between[key]

    def case(self, pk: int, reference: str, created: float) -> tuple[tuple, list[tuple], list[tuple], tuple | None]:
        """(deviation row, transition rows, comment rows, patient row or None) for one case."""
        rng = self.rng
        tenant = rng.choices(self.tenants, self.tenant_weights)[0]
        own, counterpart = self._parties(tenant)
        reporter = rng.choice(own.reporters)
        category_id, clause_id, message_type, apprec, title, description, action, measure = rng.choice(tenant.scenarios)
        consequence = _pick(rng, _CONSEQUENCES)
        triage_days, answer_days = tenant.policies[(category_id, consequence)]
        age = (self.now_ts - created) / _DAY
        row = dict(self.defaults)
        occurred = created - rng.uniform(1, 72) * 3600
        row.update(
            id=pk,
            reference=reference,
            partnership_id=tenant.pk,
            reporter_id=reporter,
            reporting_organisation_id=own.pk,
            reporting_unit_id=rng.choice(own.units) if own.units and rng.random() < 0.9 else None,
            occurred_at=self._dt(occurred),
            counterpart_id=counterpart.pk,
            counterpart_unit_id=rng.choice(counterpart.units) if counterpart.units and rng.random() < 0.6 else None,
            category_id=category_id,
            clause_id=clause_id,
            consequence=consequence,
            title=title if rng.random() < 0.6 else f"{title} ({rng.choice(_DETAILS)[:-1].lower()})"[:200],
            description=f"{description} {rng.choice(_DETAILS)}",
            immediate_action=action,
            suggested_measure=measure,
            created_at=self._dt(created),
            triage_due=self.add_days(tenant, self.local_date(created), triage_days),
        )
        if message_type:
            row.update(
                message_type=message_type,
                apprec=apprec,
                sender_her_id=own.her_id,
                receiver_her_id=counterpart.her_id,
                message_sent_at=row["occurred_at"],
                message_id=f"{rng.getrandbits(64):016x}",
            )
        if consequence in (Consequence.SERIOUS, Consequence.CRITICAL):
            row["unexpected"] = rng.random() < 0.5
            if row["unexpected"] and rng.random() < 0.85:
                row["alert_sent_at"] = self._dt(min(created + rng.uniform(0.1, 2) * _DAY, self.now_ts - 30))
                row["alert_sent_by_id"] = rng.choice(tenant.coordinators)

        steps = self._plan(age)
        transitions, comments = self._walk(tenant, row, steps, created, reporter, own, counterpart, answer_days, pk)
        patient = None
        ended = row["closed_at"] is not None
        if rng.random() < 0.3 and (not ended or row["closed_at"].timestamp() > self.patient_cutoff):
            name, number = rng.choice(self.patient_tokens)
            patient = (pk, name, number, row["created_at"], None)
        return tuple(row[c] for c in self.columns), transitions, comments, patient

    def _dt(self, ts: float) -> datetime:
        return datetime.fromtimestamp(ts, UTC)

    def _parties(self, tenant: Tenant) -> tuple[Org, Org]:
        rng = self.rng
        municipality = rng.choices(tenant.municipalities, [o.weight for o in tenant.municipalities])[0]
        hospital = rng.choice(tenant.hospitals)
        roll = rng.random()
        if roll < 0.45:
            return hospital, municipality
        if roll < 0.9:
            return municipality, hospital
        if roll < 0.95 and tenant.others:
            return rng.choice(tenant.others), rng.choice([hospital, municipality])
        others = [o for o in tenant.municipalities if o.pk != municipality.pk] or [hospital]
        return municipality, rng.choice(others)

    def _plan(self, age: float) -> list[str]:
        """The actions from filing to the case's present status, chosen by its age."""
        rng = self.rng
        open_share = 0.97 if age < 1 else 0.9 * math.exp(-age / 15) + (0.006 if age < 365 else 0.0005)
        if rng.random() < open_share:
            target = _pick(rng, _OPEN_YOUNG if age < 2 else _OPEN_OLDER)
            steps = {
                Status.SUBMITTED: [],
                Status.FORWARDED: ["forward"],
                Status.IN_PROGRESS: ["forward", "accept"],
                Status.WAITING: ["forward", "accept", "wait"],
                Status.ANSWERED: ["forward", "accept", "answer"],
            }[target]
            if target in (Status.IN_PROGRESS, Status.ANSWERED) and rng.random() < 0.1:
                steps[2:2] = ["wait", "resume"]
            return steps
        roll = rng.random()
        if roll < 0.03:
            return ["withdraw"]
        if roll < 0.07:
            return ["reject"] if rng.random() < 0.8 else ["forward", "reject"]
        if roll < 0.1:  # closed without an answer, with the reason in the note
            return ["forward", "close"] if rng.random() < 0.5 else ["forward", "accept", "close"]
        steps = ["forward", "accept"]
        if rng.random() < 0.08:
            steps += ["wait", "resume"]
        steps += ["answer", "close"]
        if rng.random() < 0.02:
            steps += ["reopen", "answer", "close"]
        return steps

    # Typical days before each action; scaled down when the case is younger than its history.
    _DELAY = {
        "forward": 0.8,
        "reject": 1.0,
        "withdraw": 0.3,
        "accept": 1.0,
        "wait": 2.0,
        "resume": 2.0,
        "answer": 6.0,
        "close": 3.0,
        "reopen": 20.0,
    }
    _NOTES = {
        "forward": "Til oppfølging.",
        "reject": "Dette gjelder intern samhandling i egen virksomhet og meldes i eget kvalitetssystem.",
        "withdraw": "Meldt ved en feil.",
        "wait": "Hvilket klokkeslett ble meldingen sendt?",
        "close": "Svaret er godt nok. Saken lukkes.",
        "reopen": "Samme feil har skjedd igjen; tiltaket må vurderes på nytt.",
    }
    _TARGET = {
        "forward": Status.FORWARDED,
        "reject": Status.REJECTED,
        "withdraw": Status.WITHDRAWN,
        "accept": Status.IN_PROGRESS,
        "wait": Status.WAITING,
        "resume": Status.IN_PROGRESS,
        "answer": Status.ANSWERED,
        "close": Status.CLOSED,
        "reopen": Status.IN_PROGRESS,
    }

    def _walk(self, tenant, row, steps, created, reporter, own, counterpart, answer_days, pk):
        rng = self.rng
        delays = [rng.expovariate(1 / self._DELAY[s]) + 0.02 for s in steps]
        room = (self.now_ts - created) / _DAY * 0.95
        if sum(delays) > room:
            factor = room / sum(delays)
            delays = [d * factor for d in delays]
        at = created
        created_dt = row["created_at"]
        transitions = [(pk, "submit", "", Status.SUBMITTED, reporter, created_dt, "")]
        comments = []
        status = Status.SUBMITTED
        responsible = counterpart if rng.random() < 0.95 else rng.choice([o for o in tenant.orgs if o is not own])
        handler = rng.choice(responsible.handlers)
        coordinator = rng.choice(tenant.coordinators)
        answer_due = None
        waiting_since = None
        for step, delay in zip(steps, delays, strict=True):
            at += delay * _DAY
            moment = self._dt(at)
            by = {
                "withdraw": reporter,
                "accept": handler,
                "wait": handler,
                "resume": handler,
                "answer": handler,
            }.get(step, coordinator)
            target = self._TARGET[step]
            transitions.append((pk, step, status, target, by, moment, self._NOTES.get(step, "")))
            status = target
            if step == "forward":
                row["responsible_organisation_id"] = responsible.pk
                row["forwarded_at"] = moment
                answer_due = self.add_days(tenant, self.local_date(at), answer_days)
            elif step == "accept":
                row["assignee_id"] = handler
                comments.append(
                    (pk, handler, responsible.pk, "Vi ser på saken og kommer tilbake med svar.", False, moment)
                )
                if rng.random() < 0.4:
                    note = "Sjekk loggen i meldingstjeneren for den aktuelle dagen."
                    comments.append((pk, handler, responsible.pk, note, True, moment))
            elif step == "wait":
                waiting_since = at
            elif step == "resume":
                # The clock stood still while waiting: the due date moves on as many working days.
                waited = self.between(tenant, self.local_date(waiting_since), self.local_date(at))
                if waited > 0 and answer_due is not None:
                    answer_due = self.add_days(tenant, answer_due, waited)
                comments.append((pk, reporter, own.pk, "Meldingen ble sendt rett før kl. 15.", False, moment))
                waiting_since = None
            elif step == "answer":
                row.update(
                    answer_cause="Meldingen ble lagt i feil kø etter en endring i adresseregisteret.",
                    answer_measures="Adresselisten er rettet, og mottak av kvitteringer følges opp daglig.",
                    measures_done=rng.random() < 0.7,
                    answered_at=moment,
                    answered_by_id=handler,
                )
            elif step in ("close", "reject", "withdraw"):
                row["closed_at"] = moment
            elif step == "reopen":
                row["closed_at"] = None
                answer_due = self.add_days(tenant, self.local_date(at), answer_days)
        row.update(
            status=status,
            version=len(transitions),
            updated_at=transitions[-1][5],
            answer_due=answer_due,
            waiting_since=self._dt(waiting_since) if waiting_since is not None else None,
        )
        if status == Status.CLOSED and rng.random() < 0.03:
            row["council_summary"] = rng.choice(COUNCIL_SUMMARIES)
            row["council_summary_by_id"] = coordinator
        if rng.random() < 0.05 and status != Status.SUBMITTED:
            comments.append((pk, coordinator, None, "Kontaktpunktet følger med på saken.", False, self._dt(at)))
        return transitions, comments


TRANSITION_COLUMNS = ("deviation_id", "action", "from_status", "to_status", "by_id", "at", "note")


COMMENT_COLUMNS = ("deviation_id", "author_id", "organisation_id", "body", "is_internal", "created_at")


PATIENT_COLUMNS = ("deviation_id", "name_encrypted", "identity_number_encrypted", "created_at", "erased_at")


def _copy(model, columns, rows) -> None:
    """PostgreSQL COPY: several times faster than INSERT for large batches."""
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _insert(model, columns, rows) -> None:
    if connection.vendor == "postgresql":
        _copy(model, columns, rows)
    else:
        model.objects.bulk_create((model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=500)


def _reserve_ids(count: int) -> list[int]:
    """Deviation ids taken from the table's sequence, so a case filed meanwhile cannot collide."""
    table = Deviation._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [pk for (pk,) in cursor.fetchall()]
    start = (Deviation.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    return list(range(start, start + count))


def _secondary_indexes() -> list[tuple]:
    """The indexes of the bulk-loaded tables that are not keys or constraints (PostgreSQL)."""
    indexes = [(model, index) for model in (Deviation, Transition) for index in model._meta.indexes]
    # The full-text index of cases migration 0003, which is not in the model's Meta.
    return [*indexes, (Deviation, GinIndex(search_vector(), name="deviation_search"))]


def indexes_restore() -> list[str]:
    """Build any secondary index a bulk load dropped and did not get to rebuild; return their names."""
    if connection.vendor != "postgresql":
        return []
    built = []
    with connection.cursor() as cursor:
        # Inside an outer transaction deferred foreign-key checks would block CREATE INDEX: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        present = {name for (name,) in cursor.fetchall()}
    with connection.schema_editor() as editor:
        for model, index in _secondary_indexes():
            if index.name not in present:
                editor.add_index(model, index)
                built.append(index.name)
    return built


@contextmanager
def indexes_deferred(enabled: bool):
    """Drop the secondary indexes for a large load and build them again after: one pass over all
    rows is several times faster than keeping twenty indexes up row by row."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    with connection.schema_editor() as editor:
        for model, index in _secondary_indexes():
            editor.remove_index(model, index)  # DROP INDEX IF EXISTS
    try:
        yield
    finally:
        indexes_restore()


def cases_create(
    partnerships: list[Partnership],
    count: int,
    *,
    seed: int,
    batch_size: int = 20000,
    report: Callable[[Progress], None] | None = None,
) -> Progress:
    """Create `count` cases spread over the partnerships, in batches of one transaction each."""
    rng = random.Random(seed)
    now = timezone.now()
    tenants = [_tenant(p) for p in partnerships]
    generator = Generator(tenants, now, rng)
    times = _creation_times(count, now.timestamp(), rng)
    counters = dict(ReferenceCounter.objects.values_list("year", "last"))
    progress = Progress()
    for start in range(0, count, batch_size):
        chunk = times[start : start + batch_size]
        ids = _reserve_ids(len(chunk))
        cases, transitions, comments, patients = [], [], [], []
        used = Counter()
        for pk, created in zip(ids, chunk, strict=True):
            year = generator.local_date(created).year
            counters[year] = counters.get(year, 0) + 1
            used[year] += 1
            case, steps, notes, patient = generator.case(pk, f"SA-{year}-{counters[year]:05d}", created)
            cases.append(case)
            transitions.extend(steps)
            comments.extend(notes)
            if patient:
                patients.append(patient)
        with transaction.atomic():
            _insert(Deviation, generator.columns, cases)
            _insert(Transition, TRANSITION_COLUMNS, transitions)
            _insert(Comment, COMMENT_COLUMNS, comments)
            _insert(PatientReference, PATIENT_COLUMNS, patients)
            # The counters move with the rows, so a case filed afterwards gets the next free number.
            for year in used:
                ReferenceCounter.objects.update_or_create(year=year, defaults={"last": counters[year]})
        progress.created += len(cases)
        progress.transitions += len(transitions)
        progress.comments += len(comments)
        progress.patients += len(patients)
        if report:
            report(progress)
    return progress


def volume_cases(partnerships: list[Partnership]) -> int:
    return Deviation.objects.filter(partnership__in=partnerships).count()
