"""The load generator: cases, timelines and threads made up at random, but shaped like real ones."""

import math
import random
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.catalogue.choices import Consequence
from avvik.core import crypto
from avvik.demo.cases import COUNCIL_SUMMARIES
from avvik.demo.volume.tenants import Org, Tenant

YEARS = 9.9  # under the ten-year case retention, so the retention job has nothing to anonymise
GROWTH_PER_YEAR = 0.17  # volume roughly doubles in four years: recent years hold most cases


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


def _consequence_weights(values: list[str]) -> list[tuple[str, int]]:
    """Weights along the scale, mildest first (as Consequence.values is ordered): most cases are
    minor, few are severe. Taken from the scale itself, so a changed scale needs no change here."""
    shape = [30, 40, 20, 8, 2]
    return [(value, shape[index] if index < len(shape) else 1) for index, value in enumerate(values)]


_CONSEQUENCES = _consequence_weights(list(Consequence.values))
# The two most severe steps of the scale may be serious unexpected events (statutory alert).
_SEVERE = frozenset(Consequence.values[-2:])


_DAY = 86400.0


def _times_between(count: int, start: float, end: float, rng: random.Random) -> list[float]:
    """`count` moments spread evenly at random from `start` to `end`; sorted."""
    return sorted(rng.uniform(start, end) for _ in range(count))


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
        if consequence in _SEVERE:
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
            patient = (pk, name, number, "", row["created_at"], None)  # no identity number, so no index
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
        paused = 0  # working days the answer clock stood still, as the lifecycle service counts them
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
            if step in ("forward", "reject") and row.get("triaged_at") is None:
                row["triaged_at"] = moment
            if step == "forward":
                row["responsible_organisation_id"] = responsible.pk
                row["forwarded_at"] = moment
                answer_due = self.add_days(tenant, self.local_date(at), answer_days)
                paused = 0
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
                paused += max(waited, 0)
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
                paused = 0
        row.update(
            status=status,
            version=len(transitions),
            updated_at=transitions[-1][5],
            answer_due=answer_due,
            answer_paused_days=paused,
            waiting_since=self._dt(waiting_since) if waiting_since is not None else None,
        )
        if status == Status.CLOSED and rng.random() < 0.03:
            row["council_summary"] = rng.choice(COUNCIL_SUMMARIES)
            row["council_summary_by_id"] = coordinator
        if rng.random() < 0.05 and status != Status.SUBMITTED:
            comments.append((pk, coordinator, None, "Kontaktpunktet følger med på saken.", False, self._dt(at)))
        return transitions, comments
