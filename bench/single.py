"""One request at a time: the floor page and every named page (bench/pages.py) through Django's
test client, which runs the whole middleware chain without a network, with the time spent in
PostgreSQL measured by a query wrapper (`connection.execute_wrapper`). The rest of the request is
Python: middleware, view, forms and templates. Nothing is kept: the requests run in a transaction
that is rolled back.

Run by `python -m bench.measure single PLAN` with DJANGO_SETTINGS_MODULE=bench.settings (the floor
page's URL is there). BENCH_SINGLE_REPEATS: requests per page after one warm-up (default 9), each
taken in turn with one of our floor and one of the layout floor.
"""

import contextlib
import json
import os
import time
from pathlib import Path
from statistics import median

from django.db import connection, transaction
from django.test import Client
from django.test.utils import setup_test_environment

from avvik.tenancy.models import User
from bench import pages as named
from bench.baseline import LAYOUT_PATH, PATH

REPEATS = int(os.environ.get("BENCH_SINGLE_REPEATS", "9"))
# People in a role asked for a page before it is named as one this volume cannot show.
PEOPLE_TRIED = 4


class QueryTimer:
    """Counts the queries run through the connection and adds up the time they take."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def timed_request(client: Client, url: str) -> tuple[int, float, QueryTimer]:
    timer = QueryTimer()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    return response.status_code, elapsed, timer


def _test_environment() -> None:
    """Allows the test client's host and keeps e-mail in memory; already done under the test runner."""
    with contextlib.suppress(RuntimeError):
        setup_test_environment()


def summary(samples: list[tuple[float, float, int]]) -> dict:
    """Medians over the repeats, in ms: the whole request, its SQL, and the rest (Python)."""
    return {
        "ms": round(1000 * median(total for total, _sql, _count in samples), 1),
        "sql_ms": round(1000 * median(sql for _total, sql, _count in samples), 1),
        "python_ms": round(1000 * median(total - sql for total, sql, _count in samples), 1),
        "queries": max(count for _total, _sql, count in samples),
    }


def measure(plan_path: str) -> dict:
    """Each named page, with our floor and the layout floor taken in turn with it request by
    request: a page's lower bound (bench/saturation_report.py: least_ratio) is then a ratio of times
    measured together, not minutes apart on a machine whose speed drifts."""
    _test_environment()
    plan = json.loads(Path(plan_path).read_text())
    pages = named.select(named.named_pages(plan), os.environ.get("BENCH_PAGES", ""))
    clients: dict[str, Client] = {}

    def client_of(email: str) -> Client:
        if email not in clients:
            clients[email] = Client()
            clients[email].force_login(User.objects.get(email=email))
        return clients[email]

    result: dict[str, dict] = {}
    floors: dict[str, list[tuple[float, float, int]]] = {named.FLOOR: [], named.LAYOUT_FLOOR: []}
    with transaction.atomic():
        # The floors are asked for by a coordinator, as under saturation.
        floor_client = client_of(plan["coordinators"][0]["email"])
        for url in (PATH, LAYOUT_PATH):
            status, _elapsed, _timer = timed_request(floor_client, url)  # warm: templates, translations
            if status != 200:
                raise SystemExit(f"the floor page {url} answered {status}")

        def floors_beside() -> tuple[tuple[float, float, int], tuple[float, float, int]]:
            taken = []
            for name, url in ((named.FLOOR, PATH), (named.LAYOUT_FLOOR, LAYOUT_PATH)):
                _status, elapsed, timer = timed_request(floor_client, url)
                floors[name].append((elapsed, timer.seconds, timer.count))
                taken.append((elapsed, timer.seconds, timer.count))
            return taken[0], taken[1]

        for target in pages:
            # The first person in the role the page answers (not everyone's queue has a page 5).
            for person in plan[target["people"]][:PEOPLE_TRIED]:
                client = client_of(person["email"])
                status, _elapsed, _timer = timed_request(client, target["url"])  # warm: templates, translations
                if status == 200:
                    break
            if status != 200:
                # As under saturation: a page this volume cannot show (a short list has no page 5)
                # is named in the report, not measured, and does not stop the run.
                result[target["name"]] = {"skipped": f"answered {status}"}
                continue
            samples, floor_samples, layout_samples = [], [], []
            for _ in range(REPEATS):
                floor, layout = floors_beside()
                floor_samples.append(floor)
                layout_samples.append(layout)
                _status, elapsed, timer = timed_request(client, target["url"])
                samples.append((elapsed, timer.seconds, timer.count))
            floor_summary, layout_summary = summary(floor_samples), summary(layout_samples)
            result[target["name"]] = {
                **summary(samples),
                "beside": {
                    "floor_ms": floor_summary["ms"],
                    "layout_ms": layout_summary["ms"],
                    "layout_sql_ms": layout_summary["sql_ms"],
                },
            }
        if not pages:
            for _ in range(REPEATS):
                floors_beside()
        transaction.set_rollback(True)
    return {name: summary(samples) for name, samples in floors.items()} | result


# Each middleware's own time, in one process ------------------------------------------------------

# Floor pages per variant. The variants take turns request by request, so that the machine's drift
# (batch medians of the same code vary by a third here) falls on all of them alike.
MIDDLEWARE_REQUESTS = int(os.environ.get("BENCH_MIDDLEWARE_REQUESTS", "200"))


def _variant_middleware(without: str) -> list[str]:
    """The middleware bench/settings.py gives a gunicorn started for this variant."""
    from bench import settings as bench_settings

    if without == named.BARE_VARIANT:
        return bench_settings.middleware(named.BARE_VARIANT, "")
    return bench_settings.middleware("site", without)


def middleware_alone(plan_path: str) -> dict:
    """The floor page one request at a time through the test client, with all our middleware,
    without each one in turn and with the bare Django floor's, in one process: no network, no
    queueing and no second server, so what is left of a difference is the middleware's own work.
    A variant's cost is its median time subtracted from the median time with all the middleware."""
    from django.test.utils import override_settings

    from bench import settings as bench_settings

    _test_environment()
    plan = json.loads(Path(plan_path).read_text())
    user = User.objects.get(email=plan["coordinators"][0]["email"])
    variants = ["", *bench_settings.removable(), named.BARE_VARIANT]

    clients: dict[str, Client] = {}
    refused: dict[str, str] = {}
    for without in variants:
        with override_settings(MIDDLEWARE=_variant_middleware(without)):
            client = Client()  # its handler reads MIDDLEWARE at its first request
            client.force_login(user)
            try:
                statuses = {client.get(PATH).status_code for _ in range(3)}  # warm: the chain, templates
            except Exception as error:  # as a gunicorn would answer 500: named, not timed
                refused[without] = f"raised {type(error).__name__}: {error}"
                continue
        if statuses != {200}:
            refused[without] = f"answered {sorted(statuses)}"
        else:
            clients[without] = client

    samples: dict[str, list[float]] = {without: [] for without in clients}
    for _ in range(MIDDLEWARE_REQUESTS):
        for without, client in clients.items():
            with override_settings(MIDDLEWARE=_variant_middleware(without)):
                started = time.perf_counter()
                client.get(PATH)
                samples[without].append(time.perf_counter() - started)
    everything = median(samples[""])
    return {
        "requests": MIDDLEWARE_REQUESTS,
        "all_ms": round(1000 * everything, 2),
        "own_ms": {
            without: round(1000 * (everything - median(found)), 3) for without, found in samples.items() if without
        },
        "refused": refused,
    }
