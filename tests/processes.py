"""Real processes for integration tests: a Redis server of our own, Celery workers and beats, and
the faults they meet: a mail server that counts what it accepts and can refuse, a broker that
hangs, and a database that goes away for a while."""

import asyncio
import email
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from psycopg import sql

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


def wait_for(condition, seconds: float, message) -> None:
    """Poll `condition` until it holds; `message` may be a callable, so that the logs in it are
    read when the wait has failed rather than when it began."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message() if callable(message) else message)


NOTIFICATION_HEADER = "X-Samhandling-Notification"


class MailServer:
    """An SMTP server in the test process (aiosmtpd) on a free port of its own.

    It records every message it accepts, so a test counts deliveries per notification key where
    they arrive rather than where they were sent from. It can be stopped (the port refuses
    connections) and started again on the same port, or made to answer every transaction with an
    error reply (421, 451) while it keeps listening. `before_reply`, when set, is called with the
    number of the message just received, after the message is recorded and before the 250 reply:
    the moment between the mail server taking a message and the sender hearing so.
    """

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.messages: list[Message] = []
        self.refused = 0  # transactions answered with the refusal
        self.before_reply: Callable[[int], None] | None = None
        self.hook_errors: list[Exception] = []
        self._refusal: str | None = None
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> None:
        # A stopped controller has closed its event loop: each start needs a new one.
        self._controller = Controller(_Recorder(self), hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def refuse(self, reply: str = "451 4.3.0 Mail server busy, try again later") -> None:
        """Answer every new transaction with `reply` (at MAIL FROM) until accept()."""
        self._refusal = reply

    def accept(self) -> None:
        self._refusal = None

    def keys(self) -> Counter:
        """How many accepted messages carry each notification key."""
        with self._lock:
            return Counter(message[NOTIFICATION_HEADER] for message in self.messages)

    def duplicates(self) -> dict[str, int]:
        return {key: count for key, count in self.keys().items() if count > 1}

    def _refusal_for_transaction(self) -> str | None:
        reply = self._refusal
        if reply is not None:
            with self._lock:
                self.refused += 1
        return reply

    def _record(self, content: bytes) -> int:
        with self._lock:
            self.messages.append(email.message_from_bytes(content))
            return len(self.messages)


class _Recorder:
    """aiosmtpd's handler for MailServer."""

    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        refusal = self.server._refusal_for_transaction()
        if refusal is not None:
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        number = self.server._record(envelope.original_content)
        hook = self.server.before_reply
        if hook is not None:
            try:
                # In a thread: other connections are served meanwhile, as by a real server.
                await asyncio.get_running_loop().run_in_executor(None, hook, number)
            except Exception as exc:  # the message is taken all the same; the test reads the error
                self.server.hook_errors.append(exc)
        return "250 2.0.0 Message accepted for delivery"


class FrozenBroker:
    """A Redis address that accepts TCP connections and never answers: a broker that hangs."""

    def __init__(self) -> None:
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                self.accepted.append(self._server.accept()[0])  # held open, never read or answered
            except OSError:
                continue

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for connection in self.accepted:
            connection.close()
        self._server.close()


class DatabaseOutage:
    """One PostgreSQL database made unavailable to everyone but the test, as a restart would.

    The machine's server is shared, so it is not restarted: the database stops accepting
    connections (ALLOW_CONNECTIONS false) and every session on it except `keep_pid` (the test's
    own) is terminated; end() lets connections in again. Run from a connection to the `postgres`
    database. Each outage's start and end (monotonic, and the end's wall-clock time) and the number
    of sessions it cut are recorded.
    """

    def __init__(self, settings_dict: dict, *, keep_pid: int) -> None:
        self.name = settings_dict["NAME"]
        self._connect = {
            "host": settings_dict["HOST"] or "127.0.0.1",
            "port": settings_dict["PORT"] or 5432,
            "user": settings_dict["USER"],
            "password": settings_dict["PASSWORD"] or None,
            "dbname": "postgres",
            "autocommit": True,
            "connect_timeout": 10,
        }
        self.keep_pid = keep_pid
        self.outages: list[dict] = []
        self._lock = threading.Lock()
        self._timers: list[threading.Timer] = []

    def _allow(self, admin: psycopg.Connection, allowed: bool) -> None:
        admin.execute(
            sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
                sql.Identifier(self.name), sql.SQL("true" if allowed else "false")
            )
        )

    def begin(self) -> int:
        """Refuse new connections and cut every other session now; returns how many were cut."""
        with self._lock, psycopg.connect(**self._connect) as admin:
            self._allow(admin, False)
            cut = admin.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> %s AND pid <> pg_backend_pid()",
                [self.name, self.keep_pid],
            ).fetchone()[0]
            self.outages.append({"began": time.monotonic(), "ended": None, "ended_at": None, "sessions_cut": cut})
            return cut

    def end(self) -> None:
        """Let connections in again (whether or not an outage is on: safe in a finally)."""
        with self._lock, psycopg.connect(**self._connect) as admin:
            self._allow(admin, True)
            for outage in self.outages:
                if outage["ended"] is None:
                    outage["ended"], outage["ended_at"] = time.monotonic(), datetime.now(UTC)

    def for_seconds(self, seconds: float) -> int:
        """begin() now and end() after `seconds`, from a timer thread."""
        cut = self.begin()
        timer = threading.Timer(seconds, self.end)
        timer.daemon = True
        self._timers.append(timer)
        timer.start()
        return cut

    @property
    def over(self) -> bool:
        return bool(self.outages) and all(outage["ended"] is not None for outage in self.outages)

    def close(self) -> None:
        """Stop pending timers and make sure the database accepts connections again."""
        for timer in self._timers:
            timer.cancel()
        self.end()


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


def require_postgres(connection) -> None:
    """Real processes share the test database, which SQLite in memory cannot do."""
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI must run the integration tests on PostgreSQL")
        pytest.skip("needs PostgreSQL: set DATABASE_URL (the test database is shared with real processes)")
    require("redis-server", "apt-get install redis-server")


def django_process(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess:
    """`code` run after django.setup() in a fresh process with these settings in the environment."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    environment.update(VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="samhandling.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def process_environment(folder: Path, *, redis_url: str, mail: MailServer, **settings: str) -> dict:
    """The environment of a worker, beat or web process: the test database, the given Redis as
    broker, e-mail over SMTP to `mail`, sweeps every second, and `settings` on top."""
    from django.conf import settings as django_settings
    from django.db import connection

    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": mail.host,
        "EMAIL_PORT": str(mail.port),
        "VAR_DIR": str(folder / "var"),
        "SECRET_KEY": django_settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": ",".join(django_settings.FIELD_ENCRYPTION_KEYS),
        "OUTBOX_GRACE_SECONDS": "1",
        "OUTBOX_SWEEP_SECONDS": "1",
        "REMINDER_SWEEP_SECONDS": "1",
        **settings,
    }


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

    def worker(self, name: str, *, concurrency: int = 2) -> None:
        self._start(
            name,
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(concurrency),
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
        """The end of every process's log, for failure messages."""
        return "\n".join(f"== {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.folder.glob("*.log")))

    def log_text(self, prefix: str) -> str:
        """The whole logs of the processes whose names start with `prefix`."""
        return "\n".join(p.read_text() for p in sorted(self.folder.glob(f"{prefix}*.log")))


def run_check(tmp_path, **env):
    """`manage.py check` in a fresh process with these settings in the environment (and no database or Redis)."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    environment.update(VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
