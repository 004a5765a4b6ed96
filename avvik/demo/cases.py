"""Demo deviations: about 60 cases in every state, driven through the real services and then
spread over the year, so timelines, lists and statistics look like a partnership's."""

import io
import random
import struct
import zlib
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from avvik.cases import services
from avvik.cases.choices import AppRec, MessageType, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Comment, Transition
from avvik.catalogue.choices import SERIOUS_CONSEQUENCES, Consequence
from avvik.catalogue.models import AgreementClause, Category
from avvik.deadlines.due_dates import due_dates
from avvik.outbox.writing import recording_history
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, Organisation, Partnership

# (category, clause, message type, AppRec, title, description, immediate action, suggested measure)
SCENARIOS = [
    (
        "Epikriser, brev og notat",
        "6.2 b)",
        MessageType.DISCHARGE_SUMMARY,
        AppRec.MISSING,
        "Epikrise ikke mottatt ved utskrivning",
        "Pasienten kom hjem fra sykehuset fredag. Epikrisen var ikke kommet fram til hjemmetjenesten mandag, "
        "og vi manglet oppdatert legemiddelliste.",
        "Ringte sengeposten og fikk legemiddellisten lest opp.",
        "Sjekke at epikrisen sendes samme dag som pasienten skrives ut.",
    ),
    (
        "Adressering av meldinger",
        "6.1.2 a)",
        MessageType.PLO_DISCHARGE,
        AppRec.RECEIVED,
        "Utskrivningsrapport sendt til feil bydel",
        "PLO-utskrivningsrapporten ble adressert til en annen sone i hjemmetjenesten enn den pasienten tilhører. "
        "Meldingen ble først oppdaget to dager senere.",
        "Meldingen ble videresendt manuelt.",
        "Oppdatere adresselisten (HER-id) for sonene i EPJ.",
    ),
    (
        "Laboratoriesvar",
        "6.2 e)",
        MessageType.LAB_RESULT,
        AppRec.MISSING,
        "Laboratoriesvar kom aldri fram",
        "Prøvesvar for INR rekvirert fra legevakten ble ikke mottatt elektronisk. Svaret måtte hentes per telefon.",
        "Svar hentet per telefon, dosering justert.",
        "Undersøke hvorfor svaret stoppet i meldingstjeneren.",
    ),
    (
        "Røntgensvar",
        "6.2 d)",
        MessageType.RADIOLOGY_RESULT,
        AppRec.NEGATIVE,
        "Negativ kvittering på røntgensvar",
        "Røntgensvar ble sendt, men mottakersystemet returnerte negativ applikasjonskvittering. "
        "Ingen fulgte opp kvitteringen.",
        "",
        "Rutine for å følge opp negative kvitteringer innen én virkedag.",
    ),
    (
        "Henvisninger med vedlegg",
        "6.3 b)",
        MessageType.REFERRAL,
        AppRec.RECEIVED,
        "Henvisning mottatt uten vedlegg",
        "Henvisningen til poliklinikken manglet vedlagt EKG som det ble vist til i teksten.",
        "Fastlegekontoret sendte vedlegget på nytt.",
        "Kontrollere at vedlegg følger med før sending.",
    ),
    (
        "Elektroniske meldinger",
        "6.1.1 a)",
        MessageType.PLO_HEALTH_INFO,
        AppRec.RECEIVED,
        "Helseopplysninger besvart etter fem dager",
        "Forespørsel om helseopplysninger ved innleggelse ble ikke besvart før fem dager senere, "
        "lenger enn avtalt responstid.",
        "",
        "Avklare hvem som overvåker innboksen i helgene.",
    ),
    (
        "Meldingstjener og Norsk Helsenett",
        "6.1.1 g)",
        MessageType.DIALOGUE,
        AppRec.MISSING,
        "Dialogmeldinger stoppet i meldingstjener",
        "Flere dialogmeldinger ble liggende i meldingstjeneren et døgn etter en oppgradering.",
        "Driftsleverandør varslet og køen tømt.",
        "Varsling ved kø i meldingstjeneren.",
    ),
    (
        "Rekvisisjoner",
        "6.2 c)",
        MessageType.LAB_REQUISITION,
        AppRec.NEGATIVE,
        "Rekvisisjon avvist av laboratoriesystemet",
        "Elektronisk rekvisisjon ble avvist på grunn av ukjent analysekode.",
        "Ny rekvisisjon sendt på papir.",
        "Oppdatere analysekatalogen i kommunens journalsystem.",
    ),
    (
        "Generelle forespørsler",
        "6.3 d)",
        MessageType.PLO_REQUEST,
        AppRec.RECEIVED,
        "Forespørsel om status ikke besvart",
        "Sykehuset spurte om status for pasient før utskrivning, men fikk ikke svar fra kommunen.",
        "",
        "Felles rutine for svarfrist på forespørsler.",
    ),
    (
        "Innleggelse og utskrivning",
        "",
        "",
        "",
        "Pasient utskrevet uten varsel til kommunen",
        "Pasienten ble sendt hjem sent på kvelden uten at kommunen var varslet om utskrivningsklar pasient.",
        "Hjemmetjenesten la inn et ekstra besøk.",
        "Ikke skrive ut til kommunal tjeneste etter kl. 18 uten avtale.",
    ),
    (
        "Legemiddelinformasjon",
        "",
        "",
        "",
        "Ulik legemiddelliste i epikrise og PLO-melding",
        "Legemiddellisten i epikrisen stemte ikke med den som ble sendt i PLO-meldingen dagen før.",
        "Fastlegen kontaktet for avklaring.",
        "Én kilde for legemiddellisten ved utskrivning.",
    ),
    (
        "Annet",
        "3 e)",
        "",
        "",
        "Avvik meldt i feil kanal",
        "Et avvik mellom partene ble sendt som brev i posten i stedet for gjennom felles kontaktpunkt.",
        "",
        "Informere avdelingene om felles kontaktpunkt.",
    ),
]


# Anonymised texts a coordinator approved for the council's report.
COUNCIL_SUMMARIES = [
    "Epikrise nådde ikke hjemmetjenesten før tre dager etter utskrivning. Rutinen for sending samme dag "
    "er innskjerpet på sengeposten.",
    "Melding adressert til feil sone etter endring i adresseregisteret. Adresselisten er oppdatert, og "
    "kommunen kontrollerer HER-id hvert kvartal.",
    "Negative applikasjonskvitteringer ble ikke fulgt opp. Ansvar for daglig kontroll er lagt til merkantil tjeneste.",
]


# Target state of each demo case, so every state is present.
STATES = (
    [Status.SUBMITTED] * 8
    + [Status.FORWARDED] * 7
    + [Status.IN_PROGRESS] * 8
    + [Status.WAITING] * 4
    + [Status.ANSWERED] * 7
    + [Status.CLOSED] * 16
    + [Status.REJECTED] * 3
    + [Status.WITHDRAWN] * 2
    + ["reopened"] * 2
)


CONSEQUENCES = (
    [Consequence.NONE] * 3
    + [Consequence.MINOR] * 4
    + [Consequence.MODERATE] * 3
    + [
        Consequence.SIGNIFICANT,
        Consequence.VERY_SERIOUS,
    ]
)


def _person(partnership: Partnership, role: str, organisation: Organisation | None = None):
    memberships = Membership.objects.filter(role=role, partnership=partnership).select_related("user")
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    membership = memberships.order_by("pk").first()
    return membership.user if membership else None


def demo_png() -> bytes:
    """A small valid PNG (a grey square), as a stand-in for a screenshot."""
    width = height = 8
    raw = b"".join(b"\x00" + b"\x99\x99\x99" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _attachment(rng: random.Random):
    if rng.random() < 0.5:
        log = "\n".join(
            f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} meldingsstatus: {s}" for s in ("sendt", "i kø")
        )
        return SimpleUploadedFile("meldingslogg.txt", log.encode(), content_type="text/plain")
    return SimpleUploadedFile("skjermbilde.png", io.BytesIO(demo_png()).getvalue(), content_type="image/png")


@transaction.atomic
def seed_cases(partnership: Partnership, count: int, seed: int) -> int:
    """Create `count` demo cases in the partnership, unless it has cases already."""
    if Deviation.objects.filter(partnership=partnership).exists():
        return 0
    rng = random.Random(seed)
    reporters = list(
        Membership.objects.filter(partnership=partnership, role=Role.REPORTER).select_related("user", "organisation")
    )
    coordinator = _person(partnership, Role.COORDINATOR)
    organisations = list(Organisation.objects.filter(partnership=partnership))
    categories = {c.name: c for c in Category.objects.filter(partnership=partnership)}
    clauses = {c.code: c for c in AgreementClause.objects.filter(partnership=partnership)}
    now = timezone.now()
    # Every state once, the rest drawn in the proportions of STATES.
    states = list(dict.fromkeys(STATES))[:count]
    states += rng.sample(STATES, k=count - len(states))
    rng.shuffle(states)
    for index, target in enumerate(states):
        membership = reporters[index % len(reporters)]
        reporter, own = membership.user, membership.organisation
        counterpart = rng.choice([o for o in organisations if o.pk != own.pk])
        category, clause, message_type, apprec, title, description, action, measure = rng.choice(SCENARIOS)
        consequence = rng.choice(CONSEQUENCES)
        # Older cases are more often finished; open ones spread over the last weeks, some overdue.
        age_days = (
            rng.randint(40, 300) if target in (Status.CLOSED, Status.REJECTED, "reopened") else rng.randint(0, 45)
        )
        created = now - timedelta(days=age_days, hours=rng.randint(0, 8))
        data = {
            "occurred_at": created - timedelta(hours=rng.randint(2, 72)),
            "counterpart": counterpart,
            "reporting_unit": own.units.order_by("?").first(),
            "counterpart_unit": counterpart.units.order_by("?").first() if rng.random() < 0.6 else None,
            "category": categories[category],
            "clause": clauses.get(clause),
            "consequence": consequence,
            "potential_consequence": consequence,
            "unexpected": rng.random() < 0.5 if consequence in SERIOUS_CONSEQUENCES else None,
            "title": title,
            "description": description,
            "immediate_action": action,
            "suggested_measure": measure,
        }
        if message_type:
            data.update(
                message_type=message_type,
                apprec=apprec,
                sender_her_id=own.her_id,
                receiver_her_id=counterpart.her_id,
                message_sent_at=data["occurred_at"],
                message_id=f"{rng.getrandbits(64):016x}",
            )
        patient = services.PatientData("Demo Pasient", "") if rng.random() < 0.3 else None
        files = [_attachment(rng)] if rng.random() < 0.3 else []
        # The demo's history happened in the past: its notifications are recorded as sent, so a
        # first `make run` does not mail them all; reminders due now go out with the next sweep.
        with recording_history():
            deviation = services.deviation_submit(
                by=reporter, organisation=own, data=data, patient=patient, files=files
            )
            _drive(deviation, target, reporter, coordinator, rng)
        _spread_in_time(deviation, created, now, rng)
        if deviation.status == Status.CLOSED and rng.random() < 0.5:
            Deviation.objects.filter(pk=deviation.pk).update(
                council_summary=COUNCIL_SUMMARIES[index % len(COUNCIL_SUMMARIES)], council_summary_by=coordinator
            )
    return count


def _drive(deviation: Deviation, target: str, reporter, coordinator, rng: random.Random) -> None:
    if target == Status.SUBMITTED:
        return
    if target == Status.WITHDRAWN:
        services.deviation_transition(action="withdraw", deviation=deviation, by=reporter, note="Meldt ved en feil.")
        return
    if target == Status.REJECTED:
        services.deviation_transition(
            action="reject",
            deviation=deviation,
            by=coordinator,
            note="Dette gjelder intern samhandling i egen virksomhet og meldes i eget kvalitetssystem.",
        )
        return
    responsible = deviation.counterpart
    services.deviation_transition(
        action="forward", deviation=deviation, by=coordinator, to=responsible, note="Til oppfølging."
    )
    if target == Status.FORWARDED:
        return
    handler = _person(deviation.partnership, Role.HANDLER, responsible)
    services.deviation_transition(action="accept", deviation=deviation, by=handler)
    services.comment_add(
        deviation=deviation, by=handler, body="Vi ser på saken og kommer tilbake med svar.", internal=False
    )
    if rng.random() < 0.5:
        services.comment_add(
            deviation=deviation,
            by=handler,
            body="Sjekk loggen i meldingstjeneren for den aktuelle dagen.",
            internal=True,
        )
    if target == Status.IN_PROGRESS:
        return
    if target == Status.WAITING:
        services.deviation_transition(
            action="wait", deviation=deviation, by=handler, note="Hvilket klokkeslett ble meldingen sendt?"
        )
        return
    services.deviation_transition(
        action="answer",
        deviation=deviation,
        by=handler,
        cause="Meldingen ble lagt i feil kø etter en endring i adresseregisteret.",
        measures="Adresselisten er rettet, og mottak av kvitteringer følges opp daglig.",
        measures_done=rng.random() < 0.7,
    )
    if target == Status.ANSWERED:
        return
    services.deviation_transition(
        action="close", deviation=deviation, by=coordinator, note="Svaret er godt nok. Saken lukkes."
    )
    if target == "reopened":
        services.deviation_transition(
            action="reopen",
            deviation=deviation,
            by=coordinator,
            note="Samme feil har skjedd igjen; tiltaket må vurderes på nytt.",
        )


def _spread_in_time(deviation: Deviation, created, now, rng: random.Random) -> None:
    """Move the case's timestamps back to `created` and space its steps out over working days."""
    moment = created
    stamps = {}
    for transition in Transition.objects.filter(deviation=deviation).order_by("at", "pk"):
        Transition.objects.filter(pk=transition.pk).update(at=moment)
        stamps[transition.to_status] = moment
        moment = min(moment + timedelta(days=rng.uniform(0.3, 6)), now)
    Comment.objects.filter(deviation=deviation).update(created_at=stamps.get(Status.IN_PROGRESS, created))
    deviation.refresh_from_db()
    deviation.created_at = created
    deviation.forwarded_at = stamps.get(Status.FORWARDED)
    Deviation.objects.filter(pk=deviation.pk).update(
        **due_dates(deviation),
        created_at=created,
        updated_at=moment,
        forwarded_at=stamps.get(Status.FORWARDED),
        waiting_since=stamps.get(Status.WAITING) if deviation.status == Status.WAITING else None,
        answered_at=stamps.get(Status.ANSWERED) if deviation.answered_at else None,
        closed_at=deviation.closed_at and stamps.get(deviation.status, moment),
    )
    deviation.attachments.update(created_at=created)
