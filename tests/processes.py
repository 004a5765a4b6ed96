"""Real processes for integration tests: a Redis server of our own, Celery workers and beats."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require(program: str, install: str) -> None:
    if shutil.which(program) is None:
        if IN_CI:
            pytest.fail(f"{program} must be installed in CI")
        pytest.skip(f"{program} is not installed ({install})")


class RedisServer:
    """A real redis-server on a free port, so a test can stop and start it."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: _accepts(self.port), 10, "redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def wait_for(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message)


class Processes:
    """Celery workers and beats started against the test database and a given Redis."""

    def __init__(self, env: dict, folder: Path):
        self.env = env
        self.folder = folder
        self.running: list[subprocess.Popen] = []

    def _start(self, name: str, *args: str) -> None:
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115  (closed with the process)
        self.running.append(
            subprocess.Popen(
                [sys.executable, "-m", "celery", "--app", "samhandling", *args],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )

    def worker(self, name: str) -> None:
        self._start(
            name,
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            "--without-mingle",
            "--without-gossip",
            "--hostname",
            f"{name}@%h",
        )

    def web(self, name: str) -> str:
        """A gunicorn serving the site on a free port; returns its address once it answers."""
        port = free_port()
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115  (closed with the process)
        self.running.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "samhandling.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--threads",
                    "2",
                    "--no-control-socket",  # the default path is one per machine, not per process
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        return f"http://127.0.0.1:{port}"

    def beat(self, name: str) -> None:
        self._start(name, "beat", "--loglevel", "INFO", "--schedule", str(self.folder / f"{name}-schedule"))

    def stop(self) -> None:
        for process in self.running:
            process.terminate()
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.running = []

    def count_in_log(self, name: str, text: str) -> int:
        """How often `text` appears in the log of process `name` so far."""
        log = self.folder / f"{name}.log"
        return log.read_text().count(text) if log.exists() else 0

    def logs(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.folder.glob("*.log")))


def run_check(tmp_path, **env):
    """`manage.py check` in a fresh process with these settings in the environment (and no database or Redis)."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    environment.update(VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Point this process's Celery app (what dispatch() sends through) at another broker."""
    from samhandling.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = url
    _forget_connections(app)
    try:
        yield
    finally:
        app.conf.broker_url = original
        _forget_connections(app)


def _forget_connections(app) -> None:
    """Drop the app's pooled connections, so that the next task goes to the broker_url set now.
    app.close() alone keeps the producer pool, which holds on to the old broker's address."""
    producers = app.amqp._producer_pool
    if producers is not None:
        producers.force_close_all()
        app.amqp._producer_pool = None
    app.close()
