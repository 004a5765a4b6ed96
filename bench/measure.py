"""Measurements that run inside Django, each in a fresh process (`python -m bench.measure STEP`)
so that its peak memory is its own. Prints one JSON object on the last line.

Nothing here writes to the benchmark database for good: the query counts run inside a
transaction that is rolled back, and the reminder sweep on a scratch copy that is dropped.
"""

import importlib
import json
import os
import random
import re
import resource
import socket
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from statistics import median

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from avvik.cases.choices import Status  # noqa: E402
from avvik.cases.models.deviation import Deviation  # noqa: E402
from avvik.catalogue.models import Category  # noqa: E402
from avvik.council.counting import statistics_for, summed_items  # noqa: E402
from avvik.council.disclosure import figures_for  # noqa: E402
from avvik.council.follow_up import follow_up_chapters  # noqa: E402
from avvik.council.hotspots import hotspot_chapters  # noqa: E402
from avvik.council.periods import Period  # noqa: E402
from avvik.council.presentation import report_content  # noqa: E402
from avvik.outbox.models import Notification  # noqa: E402
from avvik.tenancy.choices import Role  # noqa: E402
from avvik.tenancy.models import Membership, Organisation, Partnership, User  # noqa: E402

BENCH_REPORT_SLUG = "bench"  # the PDF measurement's own partnership (bench_report), not used for load
PERSONAS_PER_ROLE = 6
REFS_PER_PERSON = 150
POOL_SIZE = 400


def rss_mb() -> float:
    """The process's resident memory now."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def rolled_back():
    """Run the block in a transaction that never commits (on_commit hooks never fire)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - started, value


# References: what the machine does in the same run, so ratios compare across machines ------


def references() -> dict:
    """A fixed pure-Python workload (CPU) and a full count of the case table (database)."""

    def cpu_work() -> int:
        total = 0
        for number in range(20_000_000):
            total += number * number % 7
        return total

    cpu = min(timed(cpu_work)[0] for _ in range(3))
    with connection.cursor() as cursor:

        def count_all() -> int:
            cursor.execute("SELECT count(*) FROM cases_deviation")
            return cursor.fetchone()[0]

        count_all()  # warm the cache, as the other measurements run warm too
        database = min(timed(count_all)[0] for _ in range(3))
        cases = count_all()
    return {"cpu_seconds": round(cpu, 3), "count_seconds": round(database, 3), "cases": cases}


def count() -> dict:
    """The size of the case table only, for a run that leaves the references out (BENCH_STEPS)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_deviation")
        return {"cpu_seconds": None, "count_seconds": None, "cases": cursor.fetchone()[0]}


# The load plan: who logs in, which cases they open and act on ---------------------------------


def load_partnership() -> Partnership:
    """The partnership with the most cases that has people in it (not the PDF's own)."""
    with_people = Membership.objects.values("partnership")
    return (
        Partnership.objects.exclude(slug=BENCH_REPORT_SLUG)
        .filter(pk__in=with_people)
        .annotate(cases=Count("deviations"))
        .order_by("-cases")
        .first()
    )


def people(partnership: Partnership, role: str, organisation_roles: bool) -> list[User]:
    memberships = Membership.objects.filter(partnership=partnership, role=role, user__is_active=True)
    if organisation_roles:
        memberships = memberships.filter(organisation__isnull=False)
    ids = list(memberships.values_list("user_id", flat=True).distinct()[:200])
    random.Random(role).shuffle(ids)
    chosen = User.objects.filter(pk__in=ids[:PERSONAS_PER_ROLE])
    return sorted(chosen, key=lambda user: user.pk)


def sample_refs(queryset, count: int, rng: random.Random) -> list[str]:
    """About `count` references from the queryset, spread over the whole table (not the newest only)."""
    bounds = Deviation.objects.aggregate(low=django.db.models.Min("pk"), high=django.db.models.Max("pk"))
    if bounds["low"] is None:
        return []
    refs: list[str] = []
    for _attempt in range(8):
        pks = [rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 20)]
        refs += (
            queryset.filter(pk__in=pks)
            .exclude(reference__in=refs)
            .values_list("reference", flat=True)[: count - len(refs)]
        )
        if len(refs) >= count:
            break
    return refs


def second_factor_key(user: User) -> str | None:
    """The person's confirmed authenticator key (hex), read so the bench can sign in where the site
    asks for a second factor (bench/saturation.py); None when they have no device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device.key if device else None


def named_lists() -> list[dict]:
    """Every list page: "Alle avvik" and the work queues (avvik.cases.queues), with the label a
    Norwegian reader sees, the group whose people use it, and its default order."""
    from django.urls import reverse
    from django.utils import translation

    from avvik.cases.queues import COORDINATOR, QUEUES

    with translation.override("nb"):
        lists = [
            {
                "name": "all",
                "label": "Alle avvik",
                "url": reverse("cases:all"),
                "group": COORDINATOR,
                "ordering": "-created",
            }
        ]
        lists += [
            {
                "name": queue.name,
                "label": str(queue.label),
                "url": reverse(f"cases:{queue.name}"),
                "group": queue.group,
                "ordering": queue.ordering,
            }
            for queue in QUEUES.values()
        ]
    return lists


def plan() -> dict:
    from avvik.access.roles import roles_of

    rng = random.Random(3)
    partnership = load_partnership()
    if partnership is None:
        raise SystemExit("No partnership with people and cases: seed the benchmark database first.")
    cases = Deviation.objects.filter(partnership=partnership)
    categories = list(
        Category.objects.filter(partnership=partnership, is_active=True, concerns_message=False).values_list(
            "pk", flat=True
        )
    )
    organisations = list(
        Organisation.objects.filter(partnership=partnership, is_active=True).values_list("pk", flat=True)
    )
    titles = list(cases.exclude(title="").values_list("title", flat=True)[:200])
    # Whole words, without the punctuation around them: what a person types into the search field.
    words = sorted({word.strip("()[]{},.;:!?«»\"'") for title in titles for word in title.split()})
    words = [word for word in words if len(word) > 5 and word.isalpha()][:20]

    reporters = []
    for user in people(partnership, Role.REPORTER, True):
        own = sorted(roles_of(user).reporter_in)
        reporters.append(
            {
                "email": user.email,
                "totp": second_factor_key(user),
                "organisation": own[0],
                "counterparts": [pk for pk in organisations if pk not in own][:10],
                "refs": sample_refs(Deviation.objects.visible_to(user), REFS_PER_PERSON, rng),
            }
        )
    handlers = []
    for user in people(partnership, Role.HANDLER, True):
        roles = roles_of(user)
        handled = roles.handler_in | roles.admin_in
        visible = Deviation.objects.visible_to(user)
        handlers.append(
            {
                "email": user.email,
                "totp": second_factor_key(user),
                "refs": sample_refs(visible, REFS_PER_PERSON, rng),
                "accept": list(
                    cases.filter(status=Status.FORWARDED, responsible_organisation__in=handled).values_list(
                        "reference", flat=True
                    )[:POOL_SIZE]
                ),
            }
        )
    coordinators = []
    forward = list(
        cases.filter(status=Status.SUBMITTED, category__is_active=True).values("reference", "counterpart", "category")[
            :POOL_SIZE
        ]
    )
    for user in people(partnership, Role.COORDINATOR, False):
        coordinators.append(
            {"email": user.email, "totp": second_factor_key(user), "refs": sample_refs(cases, REFS_PER_PERSON, rng)}
        )
    council = [{"email": user.email} for user in people(partnership, Role.COUNCIL, False)]
    today = timezone.localdate()
    quarter = Period.containing(today - timedelta(days=92))
    return {
        "partnership": partnership.pk,
        "cases": cases.count(),
        "lists": named_lists(),
        "reporters": reporters,
        "handlers": handlers,
        "coordinators": coordinators,
        "council": council,
        "forward": [{"ref": f["reference"], "to": f["counterpart"], "category": f["category"]} for f in forward],
        "filters": {
            "categories": categories,
            "organisations": organisations,
            "words": words or ["epikrise"],
            "periods": [f"{quarter.start.year}Q{(quarter.start.month - 1) // 3 + 1}", str(today.year - 1)],
            "from": (today - timedelta(days=180)).isoformat(),
        },
    }


# SQL queries per page --------------------------------------------------------------------------


def queries(plan_path: str) -> dict:
    """Each page of the mix once per persona through Django's test client, counting queries."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # allows the test client's host and keeps e-mail in memory
    data = json.loads(Path(plan_path).read_text())
    filters = data["filters"]
    pages: dict[str, list[int]] = {}
    times: dict[str, list[float]] = {}

    def visit(name: str, client: Client, method: str, url: str, payload=None, expect=(200,)) -> None:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, payload) if method == "POST" else client.get(url)
            elapsed = time.perf_counter() - started
        if response.status_code not in expect:
            raise SystemExit(f"{name}: {method} {url} answered {response.status_code}")
        pages.setdefault(name, []).append(len(captured.captured_queries))
        times.setdefault(name, []).append(elapsed)

    def client_for(email: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(email=email))
        return client

    with rolled_back():
        for person in data["reporters"][:3]:
            client = client_for(person["email"])
            visit("list: mine", client, "GET", "/avvik/mine/")
            visit("list: mine, filtered", client, "GET", "/avvik/mine/?status=in_progress&ordering=-created")
            visit("detail", client, "GET", f"/avvik/{person['refs'][0]}/")
            visit("filing: form", client, "GET", "/avvik/ny/")
            visit(
                "filing: submit",
                client,
                "POST",
                "/avvik/ny/",
                filing_form(person, filters),
                expect=(302,),
            )
        for person in data["handlers"][:3]:
            client = client_for(person["email"])
            visit("list: til-behandling", client, "GET", "/avvik/til-behandling/")
            visit("list: til-behandling, overdue", client, "GET", "/avvik/til-behandling/?overdue=true")
            visit("detail", client, "GET", f"/avvik/{person['refs'][0]}/")
        for index, person in enumerate(data["coordinators"][:3]):
            client = client_for(person["email"])
            visit("list: triage", client, "GET", "/avvik/triage/")
            visit("list: alle", client, "GET", "/avvik/alle/")
            visit(
                "list: alle, filtered",
                client,
                "GET",
                f"/avvik/alle/?status=in_progress&status=forwarded&category={filters['categories'][0]}"
                f"&created_after={filters['from']}&ordering=-created",
            )
            visit("list: alle, search", client, "GET", f"/avvik/alle/?q={filters['words'][0]}")
            # A small database has no fifth page.
            visit("list: alle, page 5", client, "GET", "/avvik/alle/?page=5", expect=(200, 404))
            visit("detail", client, "GET", f"/avvik/{person['refs'][0]}/")
            if index < len(data["forward"]):
                case = data["forward"][index]
                deviation = Deviation.objects.get(reference=case["ref"])
                visit(
                    "triage: forward",
                    client,
                    "POST",
                    f"/avvik/{case['ref']}/handling/forward/",
                    {
                        "forward-to": case["to"],
                        "forward-category": case["category"],
                        "forward-note": "Videresendt",
                        "forward-version": deviation.version,
                    },
                    expect=(302,),
                )
            visit("statistics", client, "GET", "/statistikk/")
        for person in data["council"][:3]:
            client = client_for(person["email"])
            visit("statistics (council)", client, "GET", f"/statistikk/?period={filters['periods'][0]}")
    return {
        name: {"queries": max(counts), "min_queries": min(counts), "ms": round(1000 * min(times[name]), 1)}
        for name, counts in pages.items()
    }


def page_profiles(plan_path: str) -> dict:
    """Where a request's time goes on the busiest pages: each requested ten times under the profiler."""
    from django.test import Client
    from django.test.utils import setup_test_environment
    from pyinstrument import Profiler

    setup_test_environment()
    data = json.loads(Path(plan_path).read_text())
    filters = data["filters"]
    coordinator, reporter = data["coordinators"][0], data["reporters"][0]
    pages = {
        "list: alle (filtered)": (
            coordinator,
            f"/avvik/alle/?status=in_progress&status=forwarded&category={filters['categories'][0]}&ordering=-created",
            None,
        ),
        "detail": (coordinator, f"/avvik/{coordinator['refs'][0]}/", None),
        "filing: submit": (reporter, "/avvik/ny/", filing_form(reporter, filters)),
        "statistics": (coordinator, "/statistikk/", None),
    }
    out = Path(os.environ.get("BENCH_OUT", "var/bench"))
    result = {}
    with rolled_back():
        for name, (person, url, payload) in pages.items():
            client = Client()
            client.force_login(User.objects.get(email=person["email"]))

            def request(client=client, url=url, payload=payload):
                return client.post(url, payload) if payload else client.get(url)

            request()  # warm: the first request of a process loads templates and translations
            profiler = Profiler(interval=0.001)
            started = time.perf_counter()
            profiler.start()
            for _ in range(10):
                request()
            profiler.stop()
            path = out / f"profile-page-{re.sub(r'[^a-z]+', '-', name).strip('-')}.txt"
            save_profile(profiler, path)
            result[name] = {"profile": str(path), "ms": round(100 * (time.perf_counter() - started), 1)}
    return result


def filing_form(person: dict, filters: dict) -> dict:
    """A filled-in filing form for the person (the fields a reporter must give)."""
    rng = random.Random()
    return {
        "title": "Epikrise kom ikke fram",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "consequence": "minor",
        "potential_consequence": "moderate",
        "category": rng.choice(filters["categories"]),
        "counterpart": rng.choice(person["counterparts"]),
        "description": "Epikrisen var ikke mottatt tre dager etter utskrivning.",
        "immediate_action": "Ringte avdelingen.",
    }


# Filing while the broker hangs ------------------------------------------------------------------

BROKER_FILINGS = 10


def broker(plan_path: str) -> dict:
    """Filing times with a Celery broker that accepts connections and never answers (REDIS_URL
    points at such a listener, which bench/run.py holds open), and, for comparison, with nothing
    listening at the broker's address. The first filing after the breaker closes waits for the
    socket timeout; the next ones skip the broker (avvik.core.queue) until BROKER_BREAKER_SECONDS
    have passed, and the filing after that waits once more.

    The filings are rolled back; their after-commit work (handing the notification to the broker)
    is run explicitly, inside the timed span, as a committed request would run it."""
    from django.conf import settings
    from django.test import Client, TestCase
    from django.test.utils import setup_test_environment

    from avvik.core import queue
    from samhandling.celery import app

    setup_test_environment()
    data = json.loads(Path(plan_path).read_text())
    person = data["reporters"][0]
    client = Client()
    client.force_login(User.objects.get(email=person["email"]))

    def file_one() -> float:
        started = time.perf_counter()
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post("/avvik/ny/", filing_form(person, data["filters"]))
        elapsed = time.perf_counter() - started
        if response.status_code != 302:
            raise SystemExit(f"filing with the broker hanging answered {response.status_code}")
        return round(1000 * elapsed, 1)

    def series() -> dict:
        queue.breaker_reset()
        first = file_one()
        rest = [file_one() for _ in range(BROKER_FILINGS - 1)]
        return {"first_ms": first, "rest_median_ms": round(median(rest), 1), "rest_max_ms": max(rest)}

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    result: dict = {
        "filings": BROKER_FILINGS,
        "socket_timeout": options.get("socket_timeout"),
        "connect_timeout": options.get("socket_connect_timeout"),
        "breaker_seconds": settings.BROKER_BREAKER_SECONDS,
    }
    with rolled_back():
        queue.breaker_reset()
        file_one()  # warm: the first request of a process loads templates and translations
        result["hanging"] = series()
        # The breaker closes by itself: the first filing after it waits for the broker once more.
        time.sleep(settings.BROKER_BREAKER_SECONDS + 0.5)
        result["hanging"]["after_breaker_ms"] = file_one()
        _broker_at(app, f"redis://127.0.0.1:{_closed_port()}/0")
        result["refused"] = series()
    return result


def _broker_at(app, url: str) -> None:
    """Send the app's tasks to another broker from now on (pooled connections are dropped)."""
    app.conf.broker_url = url
    producers = app.amqp._producer_pool
    if producers is not None:
        producers.force_close_all()
        app.amqp._producer_pool = None
    app.close()


def _closed_port() -> int:
    """A loopback port with nothing listening: connections to it are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Statistics ------------------------------------------------------------------------------------


def statistics(partnership_id: str) -> dict:
    partnership = Partnership.objects.get(pk=int(partnership_id))
    today = timezone.localdate()
    quarter = Period.containing(today - timedelta(days=92))
    year = Period.year(today.year - 1)
    result = {"partnership_cases": Deviation.objects.filter(partnership=partnership).count()}
    before = rss_mb()
    for name, period in (("quarter", quarter), ("year", year)):
        stats = statistics_for(partnership, period)  # warm, as a page that was asked for a moment ago
        seconds = min(timed(statistics_for, partnership, period)[0] for _ in range(3))
        # The least the page does besides: the sums alone (one query), and the report's content
        # (chapters, hotspots, follow-up, charts) drawn from figures already counted.
        sums = min(timed(summed_items, partnership, period, "new")[0] for _ in range(3))
        content = min(timed(_page_content, stats)[0] for _ in range(3))
        with profiled(f"statistics-{name}") as where:
            statistics_for(partnership, period)
        result[name] = {
            "period": period.label,
            "seconds": round(seconds, 3),
            "sums_seconds": round(sums, 4),
            "content_seconds": round(content, 3),
            "profile": where,
        }
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    result["growth_mb"] = round(peak_rss_mb() - before, 1)
    return result


def _page_content(stats):
    """What the statistics page draws from counted figures, as council.views.statistics does."""
    figures = figures_for(stats, exact=True)
    extra = [
        *hotspot_chapters(stats, threshold=figures.threshold, exact=True),
        *follow_up_chapters(stats, threshold=figures.threshold, exact=True),
    ]
    return report_content(figures, partnership=stats.partnership, period=stats.period, extra=extra)


# The reminder sweep over a million open cases ---------------------------------------------------

NEWLY_DUE = int(os.environ.get("BENCH_SWEEP_DUE", "300000"))


class OutOfTime(Exception):
    pass


def sweep(budget_seconds: str) -> dict:
    """On a scratch copy of the benchmark database (bench/run.py makes it and drops it afterwards):
    open every case with every deadline weeks ahead, commit, and sweep: nothing is due, so this
    costs what the sweep reads to find that out. Then bring BENCH_SWEEP_DUE of them due at once (as
    after an outage or a bulk import) and sweep twice as production does, a transaction per batch
    whose commit checks the new rows' foreign keys: first with nothing sent yet, then again when
    every reminder exists. Committed, not rolled back: in one transaction with the setup, every case
    would have a second, uncommitted version that each foreign-key check has to pass over."""
    from avvik.outbox import writing
    from avvik.reminders import sweep as reminders
    from bench import sweep_floor
    from bench.run import SCRATCH_SUFFIX

    if not connection.settings_dict["NAME"].endswith(SCRATCH_SUFFIX):
        raise SystemExit("The sweep step commits what it sets up: bench.run runs it on a scratch copy.")
    clock = importlib.import_module("avvik.reminders.migrations.0001_reminder_clock")
    budget = float(budget_seconds)
    today = timezone.localdate()
    result: dict = {"budget_seconds": budget}
    # The rows are left for the outbox sweep, as when the broker is down: the write is measured,
    # not the hand-over of one message per row to the broker.
    handed_over: list[int] = []
    writing.enqueue = handed_over.extend
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # The clock's trigger would upsert one row per case opened here; the clocks are set in
        # one statement afterwards instead, as the migration that brought them did. Nor are the
        # council's monthly counts of any interest on a copy that is dropped.
        cursor.execute("ALTER TABLE cases_deviation DISABLE TRIGGER reminders_clock_update")
        cursor.execute("ALTER TABLE cases_deviation DISABLE TRIGGER council_count_update")
        cursor.execute(
            """
            UPDATE cases_deviation SET
                status = CASE id %% 10
                    WHEN 0 THEN 'submitted' WHEN 1 THEN 'forwarded' WHEN 2 THEN 'waiting'
                    WHEN 3 THEN 'answered' ELSE 'in_progress' END,
                responsible_organisation_id = COALESCE(responsible_organisation_id, counterpart_id),
                triage_due = %s::date + (id %% 30)::int + 7,
                answer_due = %s::date + (id * 7 %% 90)::int + 40,
                closed_at = NULL
            """,
            [today, today],
        )
        result["open_cases"] = cursor.rowcount
        cursor.execute("DELETE FROM reminders_reminderclock")
        cursor.execute(clock.backfill("postgresql"))
    _vacuumed()
    result["setup_seconds"] = round(time.perf_counter() - started, 1)
    with profiled("sweep-nothing-due") as where:
        result["quiet"] = _timed_sweep(reminders, today, budget)
    result["quiet"]["profile"] = where

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # Deadlines from three days ago to three days ahead: reminders, overdue notices and
        # escalations, in every partnership.
        cursor.execute(
            """
            CREATE TEMPORARY TABLE bench_due ON COMMIT DROP AS
            SELECT id FROM cases_deviation
            WHERE status IN ('submitted', 'forwarded', 'in_progress') ORDER BY id LIMIT %s
            """,
            [NEWLY_DUE],
        )
        cursor.execute(
            """
            UPDATE cases_deviation SET triage_due = %s::date - 1 - (id %% 3)::int,
                                       answer_due = %s::date + (id %% 7)::int - 3
            WHERE id IN (SELECT id FROM bench_due)
            """,
            [today, today],
        )
        result["due_cases"] = cursor.rowcount
        first_look = clock.first_look("postgresql", "cases_deviation")
        cursor.execute(
            f"""
            UPDATE reminders_reminderclock SET due_on = {first_look}, changes = changes + 1
            FROM cases_deviation
            WHERE cases_deviation.id = reminders_reminderclock.deviation_id
              AND reminders_reminderclock.deviation_id IN (SELECT id FROM bench_due)
            """  # noqa: S608  # the expression is our own code, no input
        )
    _vacuumed()
    result["due_setup_seconds"] = round(time.perf_counter() - started, 1)
    notifications_before = Notification.objects.count()
    since = sweep_floor.mark(today)
    for run in ("first", "second"):
        with profiled(f"sweep-{run}") as where:
            result[run] = _timed_sweep(reminders, today, budget)
        result[run]["profile"] = where
        if not result[run]["finished"]:
            result["second"] = None  # a stopped first run would only be finished by a second
            break
    result["notifications_written"] = Notification.objects.count() - notifications_before
    result["left_for_the_outbox_sweep"] = len(handed_over)
    # The least a sweep writing these rows can take (item 4 of the targets: a measured lower bound).
    result["floor"] = sweep_floor.replay(since) if result["first"]["finished"] else None
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return result


def _vacuumed() -> None:
    """As autovacuum would have after a change this large: the sweep plans on fresh statistics."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) cases_deviation")
        cursor.execute("VACUUM (ANALYZE) reminders_reminderclock")


def _timed_sweep(reminders, today, budget: float) -> dict:
    """One sweep, stopped when over budget; counts the cases it handled so a rate can be given."""
    reached = {"cases": 0}
    started = time.perf_counter()

    def on_batch(notices) -> None:
        if time.perf_counter() - started > budget:
            raise OutOfTime

    before = rss_mb()
    try:
        done = reminders.sweep_deadlines(today, on_batch=on_batch)
        reached["cases"], written, finished = done.cases, done.written, True
    except OutOfTime:
        written, finished = None, False
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "finished": finished,
        "steps": reached["cases"],
        "steps_per_second": round(reached["cases"] / seconds) if seconds and finished else None,
        "written": written,
        "growth_mb": round(peak_rss_mb() - before, 1),
    }


# Profiles ------------------------------------------------------------------------------------


@contextmanager
def profiled(name: str):
    """Sample the block with pyinstrument (a few per cent slower) and save the text profile;
    the report shows it where a target is missed."""
    from pyinstrument import Profiler

    out = Path(os.environ.get("BENCH_OUT", "var/bench")) / f"profile-{name}.txt"
    profiler = Profiler(interval=0.005)
    profiler.start()
    try:
        yield str(out)
    finally:
        profiler.stop()
        save_profile(profiler, out)


def save_profile(profiler, path: Path) -> None:
    """The call tree, and beside it (.flat.txt) every function by inclusive time: the flat list
    names the library work (templates, forms, database waits) that the tree folds away."""
    path.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    flat = profiler.output_text(unicode=True, color=False, show_all=True, flat=True, flat_time="total")
    path.with_suffix(".flat.txt").write_text(flat)


STEPS = {
    "references": references,
    "count": count,
    "plan": plan,
    "queries": queries,
    "pages": page_profiles,
    "statistics": statistics,
    "sweep": sweep,
    "broker": broker,
    # One request at a time, with its SQL time (bench/single.py).
    "single": lambda plan_path: __import__("bench.single").single.measure(plan_path),
    # Each middleware's own time on the floor page, in one process (bench/single.py).
    "middleware_alone": lambda plan_path: __import__("bench.single").single.middleware_alone(plan_path),
    # The message traffic bench (bench/traffic.py): intake and the monitoring sweep.
    "traffic": lambda: __import__("bench.traffic").traffic.measure(),
}


def main() -> None:
    step, *args = sys.argv[1:]
    value = STEPS[step](*args)
    print(json.dumps(value, default=str))


if __name__ == "__main__":
    main()
