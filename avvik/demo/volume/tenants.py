"""The load test's partnerships, organisations, units and people."""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from avvik.administration.services import partnership_setup
from avvik.cases.models.deviation import Deviation
from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import AgreementClause, Category
from avvik.deadlines.due_dates import calendar_for, policy_days
from avvik.demo.cases import SCENARIOS
from avvik.tenancy.choices import OrganisationKind, Role, WrittenForm
from avvik.tenancy.models import Membership, Organisation, Partnership, Unit, User

VOLUME_PASSWORD = "volum-samhandling"  # noqa: S105  (load-test data only, printed by the command)
SLUG_PREFIX = "volum-"
EMAIL_DOMAIN = "volum.test"

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
        admins = [(f"partnerskap@{slug}.{EMAIL_DOMAIN}", f"Partnerskapsadministrator {slug}", Role.PARTNERSHIP_ADMIN)]
        for email, name, role in coordinators + council + admins:
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
            people += [(Role.LEADER, "leder", 1), (Role.ORG_ADMIN, "admin", 1)]
            people.append((Role.MESSAGE_OWNER, "meldingsansvarlig", 1))
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
    scenarios = [
        (
            categories[s.category],
            clauses.get(s.clause),
            s.message_type,
            s.apprec,
            s.title,
            s.description,
            s.immediate_action,
            s.suggested_measure,
        )
        for s in SCENARIOS
        if s.category in categories
    ] or [(next(iter(categories.values())), None, "", "", "Avvik", "Avvik i samhandlingen.", "", "")]
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
