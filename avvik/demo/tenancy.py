"""Demo data: two partnerships, their organisations, units and people.

Loaded by `manage.py seed_demo`; running it again changes nothing that is already there."""

from django.db import transaction

from avvik.administration.services import partnership_setup
from avvik.tenancy.choices import OrganisationKind, Role, WrittenForm
from avvik.tenancy.models import Membership, Organisation, Partnership, Unit, User

DEMO_PASSWORD = "demo-samhandling"  # noqa: S105  (published demo password, documented in the README)


PARTNERSHIPS = [
    {
        "slug": "demo",
        "name": "Helsefellesskap Demo",
        "written_form": WrittenForm.BOKMAL,
        "organisations": [
            {
                "key": "sykehus",
                "name": "Demo sykehus HF",
                "kind": OrganisationKind.HOSPITAL_TRUST,
                "organisation_number": "991000100",
                "her_id": "8010001",
                "written_form": WrittenForm.BOKMAL,
                "units": [
                    ("Medisinsk avdeling", "8010011"),
                    ("Kirurgisk avdeling", "8010012"),
                    ("Akuttmottak", "8010013"),
                    ("Avdeling for laboratoriemedisin", "8010014"),
                    ("Radiologisk avdeling", "8010015"),
                ],
            },
            {
                "key": "bergvik",
                "name": "Bergvik kommune",
                "kind": OrganisationKind.MUNICIPALITY,
                "organisation_number": "991001107",
                "her_id": "8020001",
                "written_form": WrittenForm.BOKMAL,
                "units": [
                    ("Hjemmetjenesten sone nord", "8020011"),
                    ("Bergvik sykehjem", "8020012"),
                    ("Bergvik legevakt", "8020013"),
                ],
            },
            {
                "key": "fjordnes",
                "name": "Fjordnes kommune",
                "kind": OrganisationKind.MUNICIPALITY,
                "organisation_number": "991002111",
                "her_id": "8030001",
                "written_form": WrittenForm.NYNORSK,
                "units": [
                    ("Heimetenesta", "8030011"),
                    ("Fjordnes omsorgssenter", "8030012"),
                    ("Fjordnes legekontor", "8030013"),
                ],
            },
        ],
    },
    {
        "slug": "nord",
        "name": "Helsefellesskap Nord",
        "written_form": WrittenForm.BOKMAL,
        "organisations": [
            {
                "key": "nord-sykehus",
                "name": "Nord sykehus HF",
                "kind": OrganisationKind.HOSPITAL_TRUST,
                "organisation_number": "991003118",
                "her_id": "8040001",
                "written_form": WrittenForm.BOKMAL,
                "units": [("Medisinsk avdeling", "8040011"), ("Akuttmottak", "8040012")],
            },
            {
                "key": "nordby",
                "name": "Nordby kommune",
                "kind": OrganisationKind.MUNICIPALITY,
                "organisation_number": "991004122",
                "her_id": "8050001",
                "written_form": WrittenForm.BOKMAL,
                "units": [("Hjemmesykepleien", "8050011"), ("Nordby sykehjem", "8050012")],
            },
        ],
    },
]


# (e-mail, full name, role, organisation key or partnership slug)
PEOPLE = [
    ("lege@sykehus.demo", "Lise Berg", Role.REPORTER, "sykehus"),
    ("sykepleier@bergvik.demo", "Ola Haugen", Role.REPORTER, "bergvik"),
    ("avvik@sykehus.demo", "Marte Strand", Role.HANDLER, "sykehus"),
    ("avvik@bergvik.demo", "Per Dahl", Role.HANDLER, "bergvik"),
    ("avvik@fjordnes.demo", "Solveig Nes", Role.HANDLER, "fjordnes"),
    ("koordinator@kontaktpunkt.demo", "Hanne Lie", Role.COORDINATOR, "demo"),
    ("fagrad@kontaktpunkt.demo", "Arne Moe", Role.COUNCIL, "demo"),
    ("avvik@nordby.demo", "Nils Aas", Role.HANDLER, "nordby"),
    ("koordinator@nord.demo", "Tone Vik", Role.COORDINATOR, "nord"),
    # Further people so that every organisation both reports and answers in the demo cases.
    ("sjukepleiar@fjordnes.demo", "Kari Flatebø", Role.REPORTER, "fjordnes"),
    ("lege@nord.demo", "Jon Sæther", Role.REPORTER, "nord-sykehus"),
    ("avvik@nord.demo", "Eva Rønning", Role.HANDLER, "nord-sykehus"),
    ("sykepleier@nordby.demo", "Siri Holm", Role.REPORTER, "nordby"),
    # Managers: told when an answer is overdue, the step after the handlers.
    ("leder@sykehus.demo", "Bjørn Vik", Role.LEADER, "sykehus"),
    ("leder@bergvik.demo", "Randi Lunde", Role.LEADER, "bergvik"),
    ("leiar@fjordnes.demo", "Oddvar Hauge", Role.LEADER, "fjordnes"),
]


ADMIN = ("admin@kontaktpunkt.demo", "Systemansvarlig Demo")


@transaction.atomic
def seed_tenancy() -> list[str]:
    """Create what is missing of the demo tenancy; return the e-mail addresses of the people."""
    partnerships: dict[str, Partnership] = {}
    organisations: dict[str, Organisation] = {}
    for spec in PARTNERSHIPS:
        partnership, _ = Partnership.objects.update_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "written_form": spec["written_form"]}
        )
        partnerships[spec["slug"]] = partnership
        partnership_setup(partnership=partnership)
        for org in spec["organisations"]:
            organisation, _ = Organisation.objects.update_or_create(
                organisation_number=org["organisation_number"],
                defaults={
                    "partnership": partnership,
                    "name": org["name"],
                    "kind": org["kind"],
                    "her_id": org["her_id"],
                    "written_form": org["written_form"],
                },
            )
            organisations[org["key"]] = organisation
            for unit_name, her_id in org["units"]:
                Unit.objects.update_or_create(organisation=organisation, name=unit_name, defaults={"her_id": her_id})

    emails = []
    for email, full_name, role, scope in PEOPLE:
        user = _person(email, full_name)
        if scope in organisations:
            organisation = organisations[scope]
            Membership.objects.get_or_create(
                user=user, role=role, organisation=organisation, defaults={"partnership": organisation.partnership}
            )
        else:
            Membership.objects.get_or_create(user=user, role=role, partnership=partnerships[scope], organisation=None)
        emails.append(email)

    admin_email, admin_name = ADMIN
    admin = _person(admin_email, admin_name)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    emails.append(admin_email)
    return emails


def _person(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
    return user
