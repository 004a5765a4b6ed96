"""What each of our middleware costs: a signed-in GET of a tiny page, handled in-process.

The page is answered N times by Django's WSGI handler with the full MIDDLEWARE, then with one
middleware (or one pair that only works together) left out at a time, then with only Django's
session and authentication middleware (the bare floor). For each stack: the time per request
(wall and CPU), the queries per request and their time. "Cost" is what leaving the middleware out
saves against the full stack.

Everything the requests write (the person, their session, django-axes' rows) is written in one
transaction that is rolled back at the end, so the tool may run against any database; it needs
the schema migrated.

    python -m tools.middleware_cost [--requests 2000] [--rounds 1] [--json out.json]

run_stacks() returns the figures for a caller (the benchmark) that formats them itself.
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from http.cookies import SimpleCookie
from io import BytesIO
from typing import Any

# Production-like, as the benchmark runs the site: no debug pages, no per-request INFO lines.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core import signals  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from tools.floor_urls import FLOOR_PATH  # noqa: E402

BARE = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
)
# Left out together: the second of each pair reads what the first put on the request.
PAIRS = (
    (
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ),
)


@dataclass
class Stack:
    name: str
    requests: int
    wall_ms: float  # median over rounds, per request
    cpu_ms: float
    queries: float
    sql_ms: float
    status: int


def stacks(middleware: list[str]) -> list[tuple[str, list[str]]]:
    """The full stack, the full stack without each middleware (or pair), and the bare floor."""
    paired = {name: pair for pair in PAIRS for name in pair}
    result = [("full", list(middleware))]
    seen: set[str] = set()
    for name in middleware:
        if name in seen or name in BARE:  # the floor itself: everything else needs it
            continue
        group = paired.get(name, (name,))
        seen.update(group)
        label = " + ".join(g.rsplit(".", 1)[-1] for g in group)
        result.append((f"without {label}", [m for m in middleware if m not in group]))
    result.append(("Session + Auth only", list(BARE)))
    return result


class _QueryTimer:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            # The run's own transaction turns each atomic block into a savepoint; in production it
            # is a BEGIN and COMMIT that psycopg sends without a statement of Django's.
            if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
                self.count += 1


def _environ(cookie: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": FLOOR_PATH,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost",
        "HTTP_COOKIE": cookie,
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_LANGUAGE": "nb",
        "HTTP_USER_AGENT": "middleware-cost",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _measure(middleware: list[str], cookie: str, requests: int) -> tuple[float, float, float, float, int]:
    """Per request: wall ms, CPU ms, queries, SQL ms, and the last status."""
    status = [0]

    def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None, /) -> Callable[[bytes], object]:
        status[0] = int(line.split(" ", 1)[0])
        return lambda data: None

    with override_settings(MIDDLEWARE=middleware, ROOT_URLCONF="tools.floor_urls"):
        handler = WSGIHandler()
        for _ in range(max(20, requests // 20)):  # warm: the URL resolver, templates, translations
            b"".join(handler(_environ(cookie), start_response))
        if status[0] != 200:
            raise RuntimeError(f"the floor page answered {status[0]} with {middleware}")
        timer = _QueryTimer()
        with connection.execute_wrapper(timer):
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(requests):
                response = handler(_environ(cookie), start_response)
                b"".join(response)
                response.close()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return (
        wall * 1000 / requests,
        cpu * 1000 / requests,
        timer.count / requests,
        timer.seconds * 1000 / requests,
        status[0],
    )


@contextmanager
def _rolled_back() -> Iterator[None]:
    """One transaction for the whole run, rolled back: nothing the requests write is kept. Django
    closes the connection at the end of each request unless told not to, as its test client is."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _signed_in_cookie() -> str:
    """A person with a role in one organisation, signed in: the session cookie."""
    from avvik.tenancy.choices import Role
    from avvik.tenancy.models import Membership, Organisation, Partnership, User

    partnership = Partnership.objects.create(name="Middleware cost", slug="middleware-cost-probe")
    number = next(
        str(n) for n in range(999999999, 0, -1) if not Organisation.objects.filter(organisation_number=str(n)).exists()
    )
    organisation = Organisation.objects.create(
        partnership=partnership, name="Middleware cost kommune", organisation_number=number
    )
    user = User.objects.create_user(email="middleware-cost@example.invalid", full_name="Middleware cost")
    Membership.objects.create(user=user, role=Role.HANDLER, organisation=organisation, partnership=partnership)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    morsel = client.cookies[settings.SESSION_COOKIE_NAME]
    cookie = SimpleCookie()
    cookie[settings.SESSION_COOKIE_NAME] = morsel.value
    return cookie.output(header="", attrs=[]).strip()


def run_stacks(requests: int = 2000, rounds: int = 1, only: list[str] | None = None) -> list[Stack]:
    """Each stack measured `rounds` times, the rounds alternating over the stacks; the median of each."""
    chosen = [(name, mw) for name, mw in stacks(list(settings.MIDDLEWARE)) if not only or name in only]
    samples: dict[str, list[tuple[float, float, float, float, int]]] = {name: [] for name, _ in chosen}
    with _rolled_back():
        cookie = _signed_in_cookie()
        for _ in range(rounds):
            for name, middleware in chosen:
                samples[name].append(_measure(middleware, cookie, requests))
    result = []
    for name, _ in chosen:
        runs = samples[name]
        result.append(
            Stack(
                name=name,
                requests=requests,
                wall_ms=statistics.median(r[0] for r in runs),
                cpu_ms=statistics.median(r[1] for r in runs),
                queries=statistics.median(r[2] for r in runs),
                sql_ms=statistics.median(r[3] for r in runs),
                status=runs[-1][4],
            )
        )
    return result


def table(result: list[Stack]) -> str:
    """Markdown: each stack, and what leaving each middleware out saves against the full stack."""
    full = next((s for s in result if s.name == "full"), result[0])
    lines = [
        "| stack | ms/request | CPU ms | queries | SQL ms | saves ms | × bare | status |",
        "|---|---|---|---|---|---|---|---|",
    ]
    bare = next((s for s in result if s.name == "Session + Auth only"), None)
    for s in result:
        saves = "" if s is full else f"{full.wall_ms - s.wall_ms:.3f}"
        ratio = f"{s.wall_ms / bare.wall_ms:.2f}" if bare else ""
        figures = f"{s.wall_ms:.3f} | {s.cpu_ms:.3f} | {s.queries:g} | {s.sql_ms:.3f}"
        lines.append(f"| {s.name} | {figures} | {saves} | {ratio} | {s.status} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only", action="append", help="a stack's name, as in the table (repeatable)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--second-factor",
        choices=("off", "admins", "everyone"),
        help="SECOND_FACTOR while measuring (production's is admins); the person is a handler with no device",
    )
    args = parser.parse_args(argv)
    with override_settings(SECOND_FACTOR=args.second_factor or settings.SECOND_FACTOR):
        result = run_stacks(args.requests, args.rounds, args.only)
    print(table(result))
    if args.json:
        with open(args.json, "w") as out:
            json.dump([asdict(s) for s in result], out, indent=2)


if __name__ == "__main__":
    main()
