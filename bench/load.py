"""The load test: gunicorn on loopback, a Redis of its own, locust headless; per-page numbers."""

import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class LoadSettings:
    users: int = int(os.environ.get("BENCH_USERS", "20"))
    spawn_rate: int = int(os.environ.get("BENCH_SPAWN_RATE", "5"))
    # BENCH_SECONDS is the saturation step's (bench/saturation.py).
    seconds: int = int(os.environ.get("BENCH_LOAD_SECONDS", "90"))
    # Two cores: three processes keep both busy while one waits on PostgreSQL; a few threads
    # each cover the time spent waiting for the database without the memory of more processes.
    workers: int = int(os.environ.get("BENCH_WORKERS", "3"))
    threads: int = int(os.environ.get("BENCH_THREADS", "4"))

    @property
    def login_seconds(self) -> int:
        """Time for everyone to start and log in before the measured period (stats reset then)."""
        return self.users // self.spawn_rate + 15


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not listen on {port} within {seconds} s")


def own_redis() -> tuple[subprocess.Popen, str] | None:
    """A Redis of our own, when redis-server is installed: filing and triage queue their e-mails as
    in production, the cache is shared by the workers as in production, and what is queued vanishes
    with it instead of piling up in a shared Redis. Returns the process and its address."""
    if not shutil.which("redis-server"):
        return None
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port, 10, redis, "redis-server")
    return redis, f"redis://127.0.0.1:{port}/0"


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def site_environment(out: Path, partnership: int) -> dict:
    """Production-like: DEBUG off, static files from WhiteNoise, logins throttled but not for us.
    bench/settings.py adds the floor page (bench/baseline.py) to the site's URLs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "ENVIRONMENT": "development",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "LOGIN_FAILURE_LIMIT": "1000",
        "VAR_DIR": str(out / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "BENCH_PARTNERSHIP": str(partnership),
    }


def run_load(*, out: Path, plan_path: Path, partnership: int, password: str, settings: LoadSettings) -> dict:
    """Serve the site, drive it, and return the per-page table from locust's CSV."""
    env = site_environment(out, partnership)
    own = own_redis()
    redis = own[0] if own else None
    if own:
        env["REDIS_URL"] = own[1]
    port = free_port()
    log = open(out / "gunicorn.log", "w")  # noqa: SIM115  (closed below)
    gunicorn = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "samhandling.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(settings.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(settings.threads),
            "--timeout",
            "120",
            "--no-control-socket",  # a shared default path would clash with other gunicorns here
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, 60, gunicorn, "gunicorn")
        started_cpu = _cpu_seconds()
        started = time.monotonic()
        locust = subprocess.run(
            [
                PYTHON,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(settings.users),
                "--spawn-rate",
                str(settings.spawn_rate),
                "--run-time",
                f"{settings.seconds + settings.login_seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(out / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "10",
            ],
            cwd=ROOT,
            env={**env, "BENCH_PLAN": str(plan_path), "BENCH_PASSWORD": password},
            capture_output=True,
            text=True,
            check=False,
        )
        (out / "locust.log").write_text(locust.stdout + locust.stderr)
        cpu_busy = (_cpu_seconds() - started_cpu) / (time.monotonic() - started) / (os.cpu_count() or 1)
        memory = _rss_mb_of_tree(gunicorn.pid)
    finally:
        stop(gunicorn)
        log.close()
        stop(redis)
    pages = read_stats(out / "locust_stats.csv")
    failures = read_failures(out / "locust_failures.csv")
    return {
        "pages": pages,
        "failures": failures,
        "settings": settings.__dict__,
        "cpu_busy": round(cpu_busy, 2),
        "gunicorn_rss_mb": memory,
        "locust_exit": locust.returncode,
    }


def read_stats(path: Path) -> dict:
    pages = {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            pages[row["Name"]] = {
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": _ms(row["50%"]),
                "p95": _ms(row["95%"]),
                "p99": _ms(row["99%"]),
                "max": _ms(row["Max Response Time"]),
                "rps": round(float(row["Requests/s"]), 2),
            }
    return pages


def read_failures(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open() as handle:
        return [
            {"page": row["Name"], "error": row["Error"][:200], "count": int(row["Occurrences"])}
            for row in csv.DictReader(handle)
        ]


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else round(float(value), 1)


def _cpu_seconds() -> float:
    """Busy CPU time of the whole machine (everyone's, not only ours: it shows contention)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _rss_mb_of_tree(pid: int) -> dict:
    """Peak resident memory of the gunicorn master and each worker (VmHWM), in MB."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid, *(int(p) for p in children.read_text().split())] if children.exists() else [pid]
    peaks = []
    for each in pids:
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except FileNotFoundError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return {
        "per_worker_max": round(max(peaks[1:] or peaks), 1),
        "total": round(sum(peaks), 1),
        "processes": len(peaks),
    }
