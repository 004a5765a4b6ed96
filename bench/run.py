"""`make bench`: seed the benchmark database once, measure, and write docs/performance.md.

Steps (STEPS; BENCH_STEPS runs some of them), each measurement in its own process so that its peak
memory is its own: references (CPU and database), the quarterly PDF, the statistics selector, SQL
queries per page of the light-load mix, the named pages under saturation against the floor page
(bench/saturation.py, with wrk), one request at a time with its SQL time (bench/single.py), each
middleware's cost on the floor page, the light-load mix (gunicorn + locust), a reminder sweep over
every case opened, filing while the Celery broker hangs, and the message traffic.
Raw results and profiles go to var/bench/.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, report, saturation  # noqa: E402

PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/samhandling_bench"
CASES = int(os.environ.get("BENCH_CASES", "1000000"))
PARTNERSHIPS = int(os.environ.get("BENCH_PARTNERSHIPS", "19"))
SWEEP_BUDGET = float(os.environ.get("BENCH_SWEEP_BUDGET", "240"))
OUT = Path(os.environ.get("BENCH_OUT", str(ROOT / "var" / "bench")))


def manage(*args: str, env: dict | None = None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, check=False, env=env
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def step(name: str, *args: str, env: dict | None = None) -> dict:
    """One measurement from bench/measure.py in a fresh process; its last line is JSON."""
    started = time.monotonic()
    print(f"==> {name} {' '.join(args)}", flush=True)
    result = subprocess.run(
        [PYTHON, "-m", "bench.measure", name, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        # As in production: no query log.
        env={**os.environ, "DEBUG": "false", "LOG_LEVEL": "WARNING", **(env or {})},
    )
    if result.returncode:
        raise SystemExit(f"bench step {name} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    print(f"    {time.monotonic() - started:.0f} s", flush=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextmanager
def hanging_broker() -> Iterator[str]:
    """A Redis address that accepts connections and never answers, while the block runs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # kept open, never read or answered
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


def broker(plan_path: Path) -> dict:
    """Filing with the broker hanging: REDIS_URL points at it, so the Redis transport's production
    timeouts apply (samhandling/settings.py)."""
    with hanging_broker() as url:
        return step("broker", str(plan_path), env={"REDIS_URL": url})


def ensure_postgres(url: str) -> None:
    """Start the local cluster the way .ci/run does when it is down, and create the database."""
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", str(parsed.port or 5432)
    user, name = parsed.username or "postgres", parsed.path.lstrip("/")
    ready = ["pg_isready", "-q", "-h", host, "-p", port]
    if subprocess.run(ready, check=False).returncode and shutil.which("pg_ctlcluster"):
        version = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[-1]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
        for _ in range(30):
            if not subprocess.run(ready, check=False).returncode:
                break
            time.sleep(1)
    if subprocess.run(ready, check=False).returncode:
        raise SystemExit(f"PostgreSQL does not answer at {host}:{port}")
    created = subprocess.run(
        ["createdb", "-h", host, "-p", port, "-U", user, name], capture_output=True, text=True, check=False
    )
    if created.returncode and "already exists" not in created.stderr:
        raise SystemExit(f"Could not create the database {name}: {created.stderr}")


@contextmanager
def scratch_copy(url: str) -> Iterator[str]:
    """A copy of the benchmark database for a step that commits what it sets up, dropped after it.
    Copied file by file (the database is a few gigabytes; through the WAL it would take minutes)."""
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    copy = name + SCRATCH_SUFFIX
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy))
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(drop)
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                sql.Identifier(copy), sql.Identifier(name)
            )
        )
    try:
        yield parsed._replace(path=f"/{copy}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(drop)


# The scratch copy's name: the benchmark database's and this (bench/measure.py's sweep step
# refuses to commit anywhere else).
SCRATCH_SUFFIX = "_scratch"


def seed() -> dict:
    """Seed once: the volume only when the database has fewer cases than asked for."""
    manage("migrate", "--no-input", "-v", "0")
    count = int(
        manage(
            "shell",
            "--no-imports",
            "-c",
            "from avvik.cases.models import Deviation; from avvik.demo.volume import SLUG_PREFIX; "
            "print(Deviation.objects.filter(partnership__slug__startswith=SLUG_PREFIX).count())",
        ).strip()
        or 0
    )
    seeded_now = False
    started = time.monotonic()
    if count < CASES:
        others = others_connected()
        if others:
            # Most likely another seed_volume half-way through: a second one would add its own cases
            # on top, and rebuild and drop the indexes under the first.
            raise SystemExit(
                f"The database has {count:,} of {CASES:,} cases and {others} other connection(s) to it: "
                "is it being seeded? Run again when that is done, or leave out the seed step (BENCH_STEPS)."
            )
        print(f"==> seeding {CASES:,} cases in {PARTNERSHIPS} partnerships (once; later runs reuse them)", flush=True)
        manage("seed_volume", "--deviations", str(CASES), "--partnerships", str(PARTNERSHIPS))
        seeded_now = True
    manage("bench_report", "--cases", "10000")  # the PDF's own quarter; a no-op when there
    # The volume as autovacuum keeps it (statistics, and the visibility map that lets counts read the
    # index alone), also when this server runs without autovacuum and earlier runs added rows.
    vacuum = "from django.db import connection; connection.cursor().execute('VACUUM (ANALYZE)')"
    manage("shell", "--no-imports", "-c", vacuum)
    return {"seeded_now": seeded_now, "seed_seconds": round(time.monotonic() - started) if seeded_now else None}


def others_connected() -> int:
    """How many other sessions are connected to the benchmark database now."""
    code = (
        "from django.db import connection; c = connection.cursor(); c.execute("
        "'SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'"
        "); print(c.fetchone()[0])"
    )
    return int(manage("shell", "--no-imports", "-c", code).strip() or 0)


def password() -> str:
    """The seeded people's password: BENCH_PASSWORD, else the one seed_volume gives everyone."""
    if os.environ.get("BENCH_PASSWORD"):
        return os.environ["BENCH_PASSWORD"]
    code = "from avvik.demo.volume import VOLUME_PASSWORD; print(VOLUME_PASSWORD)"
    return manage("shell", "--no-imports", "-c", code).strip()


def pdf() -> dict:
    runs = [json.loads(manage("bench_report", "--measure").strip().splitlines()[-1]) for _ in range(3)]
    best = min(runs, key=lambda r: r["total_seconds"])
    return {**best, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def commit() -> str:
    """The code measured: the commit, marked when the work tree differs from it."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)
    return (head.stdout.strip() or "unknown") + (" with local changes" if dirty.stdout.strip() else "")


# Every step, in the order a full run takes them; BENCH_STEPS (comma-separated) runs only some.
STEPS = (
    "seed",
    "references",
    "pdf",
    "statistics",
    "queries",
    "saturation",
    "single",
    "middleware",
    "load",
    "sweep",
    "broker",
    "traffic",
    "profiles",
)


def chosen_steps(value: str) -> list[str]:
    """The steps BENCH_STEPS names (all when empty), in the order of STEPS; an unknown name stops."""
    if not value.strip():
        return list(STEPS)
    names = {name.strip() for name in value.split(",") if name.strip()}
    unknown = names - set(STEPS)
    if unknown:
        raise SystemExit(f"BENCH_STEPS names unknown steps {sorted(unknown)}; the steps are {', '.join(STEPS)}")
    return [name for name in STEPS if name in names]


def main() -> None:
    database = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    if not database.startswith(("postgres://", "postgresql://")):
        raise SystemExit("make bench measures on PostgreSQL: DATABASE_URL must be a postgres:// URL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")
    steps = chosen_steps(os.environ.get("BENCH_STEPS", ""))
    if {"saturation", "middleware"} & set(steps):
        from bench.wrk import wrk_path

        wrk_path()  # stops at once with how to install it, not after the slow steps
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["BENCH_OUT"] = str(OUT)
    began = time.monotonic()
    measured = commit()  # the code as the run starts: a change made during the run is not in it
    ensure_postgres(database)
    results: dict = {"database": database.split("@")[-1], "machine": report.machine(), "steps": steps}
    if "seed" in steps:
        results["seed"] = seed()
    results["references"] = step("references") if "references" in steps else step("count")
    if "pdf" in steps:
        print("==> pdf", flush=True)
        results["pdf"] = pdf()
    plan_path = OUT / "plan.json"
    if os.environ.get("BENCH_REUSE_PLAN") == "1" and plan_path.exists():
        plan = json.loads(plan_path.read_text())  # the last run's people and cases, for a quick rerun
    else:
        plan = step("plan")
        plan_path.write_text(json.dumps(plan))
    results["plan"] = {key: plan[key] for key in ("partnership", "cases")}
    if "statistics" in steps:
        results["statistics"] = step("statistics", str(plan["partnership"]))
    if "queries" in steps:
        results["queries"] = step("queries", str(plan_path))
    secret = password() if {"saturation", "middleware", "load"} & set(steps) else ""
    if "saturation" in steps:
        print("==> saturation", flush=True)
        results["saturation"] = saturation.measure(OUT, plan_path, secret)
        # Its half hour is kept even if a later step stops the run.
        (OUT / "results-partial.json").write_text(json.dumps(results, indent=2, default=str))
    if "single" in steps:
        os.environ.setdefault("BENCH_PARTNERSHIP", str(plan["partnership"]))
        results["single"] = step("single", str(plan_path), env={"DJANGO_SETTINGS_MODULE": "bench.settings"})
    if "middleware" in steps:
        print("==> middleware", flush=True)
        results["middleware"] = saturation.middleware(OUT, plan_path, secret)
        os.environ.setdefault("BENCH_PARTNERSHIP", str(plan["partnership"]))
        results["middleware"]["alone"] = step(
            "middleware_alone", str(plan_path), env={"DJANGO_SETTINGS_MODULE": "bench.settings"}
        )
    if "load" in steps:
        print("==> load", flush=True)
        results["load"] = load.run_load(
            out=OUT, plan_path=plan_path, partnership=plan["partnership"], password=secret, settings=load.LoadSettings()
        )
    if "sweep" in steps:
        with scratch_copy(database) as scratch:
            results["sweep"] = step("sweep", str(SWEEP_BUDGET), env={"DATABASE_URL": scratch})
    if "broker" in steps:
        results["broker"] = broker(plan_path)
    if "traffic" in steps:
        results["traffic"] = step("traffic")
    if "profiles" in steps:
        results["profiles"] = profiles(results, plan_path)
    results["bench_seconds"] = round(time.monotonic() - began)
    results["measured_at"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    results["commit"] = measured
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    # A run of some steps only leaves docs/performance.md alone unless asked (BENCH_WRITE=1).
    if steps == list(STEPS) or os.environ.get("BENCH_WRITE") == "1":
        text = report.write(results, ROOT / "docs" / "performance.md")
    else:
        text = report.render(results)
        (OUT / "performance.md").write_text(text)
        print(f"(some steps only: written to {OUT / 'performance.md'}, docs/performance.md left as it was)")
    print(text)


def profiles(results: dict, plan_path: Path) -> dict:
    """Profiles of what missed its target, to show what limits it (see report.TARGETS)."""
    made = {}
    first = results["sweep"]["first"] if "sweep" in results else None
    if first and (not first["finished"] or first["seconds"] > report.TARGETS["sweep"]):
        made["reminder sweep, first run"] = {"profile": first["profile"]}
    for name in ("quarter", "year") if "statistics" in results else ():
        if results["statistics"][name]["seconds"] * 1000 > report.TARGETS["statistics"]:
            made[f"statistics selector, {name}"] = {"profile": results["statistics"][name]["profile"]}
    missed = [
        name
        for name, row in results.get("load", {}).get("pages", {}).items()
        if report.page_target(name) and row["p95"] and row["p95"] >= report.page_target(name)
    ]
    missed += [name for name, row in results.get("saturation", {}).get("pages", {}).items() if row["met"] is False]
    if missed:
        for name, value in step("pages", str(plan_path)).items():
            made[f"page {name} (ten requests, {value['ms']} ms each)"] = value
    return made


if __name__ == "__main__":
    main()
