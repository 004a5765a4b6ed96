"""Demo deviations: about 60 cases in every state, driven through the real services and then
spread over the year, so timelines, lists and statistics look like a partnership's."""

import io
import random
import struct
import zlib
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from avvik.cases import services
from avvik.cases.choices import OPEN_STATUSES, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Comment, Transition
from avvik.catalogue.choices import SERIOUS_CONSEQUENCES
from avvik.catalogue.models import AgreementClause, Category
from avvik.catalogue.responsibility import responsible_suggested
from avvik.deadlines.due_dates import due_dates
from avvik.demo.scenarios import HOSPITAL, MUNICIPALITY, SCENARIOS, Scenario
from avvik.outbox.writing import recording_history
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, Organisation, Partnership, Unit

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
    + [Status.MERGED] * 1
    + ["reopened"] * 2
)


def _reporting_organisation(scenario: Scenario, organisations: list[Organisation], index: int) -> Organisation:
    """An organisation of the kind that reports the scenario, taking turns among them."""
    candidates = [o for o in organisations if o.kind == scenario.reported_by]
    return candidates[index % len(candidates)]


def _unit(organisation: Organisation, scenario: Scenario, rng: random.Random) -> Unit | None:
    named = organisation.units.filter(name__in=(scenario.sender_unit, scenario.receiver_unit)).first()
    return named or organisation.units.order_by("?").first()


def _her_id(organisation: Organisation, unit_name: str) -> str:
    """The unit's HER-id when the scenario names one of the organisation's units, else any unit's or the
    organisation's own."""
    units = organisation.units.exclude(her_id="")
    unit = units.filter(name=unit_name).first() or units.order_by("pk").first()
    return unit.her_id if unit else organisation.her_id


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
    reporters_by_organisation: dict[int, list] = {}
    for membership in Membership.objects.filter(partnership=partnership, role=Role.REPORTER).select_related("user"):
        reporters_by_organisation.setdefault(membership.organisation_id, []).append(membership.user)
    coordinator = _person(partnership, Role.COORDINATOR)
    organisations = [
        o
        for o in Organisation.objects.filter(partnership=partnership, kind__in=(HOSPITAL, MUNICIPALITY)).order_by("pk")
        if o.pk in reporters_by_organisation
    ]
    categories = {c.name: c for c in Category.objects.filter(partnership=partnership)}
    clauses = {c.code: c for c in AgreementClause.objects.filter(partnership=partnership)}
    now = timezone.now()
    # Every state once, the rest drawn in the proportions of STATES.
    states = list(dict.fromkeys(STATES))[:count]
    states += rng.sample(STATES, k=count - len(states))
    rng.shuffle(states)
    duplicates: list[Deviation] = []
    for index, target in enumerate(states):
        scenario = SCENARIOS[index % len(SCENARIOS)] if index < len(SCENARIOS) else rng.choice(SCENARIOS)
        own = _reporting_organisation(scenario, organisations, index)
        reporter = reporters_by_organisation[own.pk][index % len(reporters_by_organisation[own.pk])]
        # Between a hospital trust and a municipality only, never two municipalities.
        others = [o for o in organisations if o.kind != own.kind]
        counterpart = others[index % len(others)] if index < 2 * len(others) else rng.choice(others)
        # Older cases are more often finished; open ones spread over the last weeks, some overdue.
        age_days = (
            rng.randint(40, 300) if target in (Status.CLOSED, Status.REJECTED, "reopened") else rng.randint(0, 45)
        )
        created = now - timedelta(days=age_days, hours=rng.randint(0, 8))
        data = {
            "occurred_at": created - timedelta(hours=rng.randint(2, 72)),
            "counterpart": counterpart,
            "reporting_unit": _unit(own, scenario, rng),
            "counterpart_unit": _unit(counterpart, scenario, rng) if rng.random() < 0.6 else None,
            "category": categories[scenario.category],
            "clause": clauses.get(scenario.clause),
            "consequence": scenario.consequence,
            "potential_consequence": scenario.potential_consequence,
            "unexpected": rng.random() < 0.5 if scenario.consequence in SERIOUS_CONSEQUENCES else None,
            "title": scenario.title,
            "description": scenario.description,
            "immediate_action": scenario.immediate_action,
            "suggested_measure": scenario.suggested_measure,
            "channel": scenario.channel,
        }
        if scenario.message_type:
            # The HER-ids in the direction the message went: from the sending party's unit to the receiver's.
            sender, receiver = (own, counterpart) if scenario.sender == own.kind else (counterpart, own)
            data.update(
                message_type=scenario.message_type,
                apprec=scenario.apprec,
                apprec_error_code=scenario.apprec_error_code,
                sender_her_id=_her_id(sender, scenario.sender_unit),
                receiver_her_id=_her_id(receiver, scenario.receiver_unit),
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
            if target == Status.MERGED:
                duplicates.append(deviation)  # merged once the case it repeats is there
            else:
                _drive(deviation, scenario, target, reporter, coordinator, rng)
        _spread_in_time(deviation, created, now, rng)
        if deviation.status == Status.CLOSED and rng.random() < 0.5:
            Deviation.objects.filter(pk=deviation.pk).update(
                council_summary=COUNCIL_SUMMARIES[index % len(COUNCIL_SUMMARIES)], council_summary_by=coordinator
            )
    for duplicate in duplicates:
        _merge_into_a_case_like_it(duplicate, coordinator)
    return count


def _merge_into_a_case_like_it(duplicate: Deviation, coordinator) -> None:
    """The other side reported the same event: merged into an open case between the same two parties."""
    pair = Q(reporting_organisation=duplicate.counterpart_id, counterpart=duplicate.reporting_organisation_id) | Q(
        reporting_organisation=duplicate.reporting_organisation_id, counterpart=duplicate.counterpart_id
    )
    candidates = Deviation.objects.filter(partnership_id=duplicate.partnership_id, status__in=OPEN_STATUSES).exclude(
        pk=duplicate.pk
    )
    main = candidates.filter(pair).order_by("created_at").first() or candidates.order_by("created_at").first()
    if main is None:
        return
    with recording_history():
        services.deviation_merge(
            duplicate=duplicate, into=main, by=coordinator, note="Samme hendelse er meldt fra begge sider."
        )


def _drive(deviation: Deviation, scenario: Scenario, target: str, reporter, coordinator, rng: random.Random) -> None:
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
    # As the coordinator would route it: to the party whose duty the clause is, else the other party.
    suggestion = responsible_suggested(
        clause=deviation.clause or deviation.category.clause,
        parties=(deviation.reporting_organisation, deviation.counterpart),
    )
    responsible = suggestion.organisation if suggestion else deviation.counterpart
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
        cause=scenario.cause,
        measures=scenario.measures,
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
