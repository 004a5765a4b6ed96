"""Scale-out against real PostgreSQL and Redis: two gunicorn processes and two Celery workers on
loopback, people filing, reading and editing at the same time through both. No server error,
each notification mailed once, and of two edits made from the same version only one is saved."""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Transition
from avvik.catalogue.models import Category
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role
from avvik.tenancy.models import User
from tests.builders import filing_form_data
from tests.factories import PASSWORD, UserFactory, grant
from tests.outbox import test_delivery_integration as delivery
from tests.processes import _accepts, wait_for

# The same real processes as the delivery test: Redis of our own, Celery against the test database.
postgres, redis_server, mail_server = delivery.postgres, delivery.redis_server, delivery.mail_server
processes, all_sent = delivery.processes, delivery.all_sent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FILINGS_PER_REPORTER = 5


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


class Browser:
    """One person's cookies, used against any of the web processes."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )
        self.statuses: list[int] = []

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        self.statuses.append(status)
        return status, text

    def post_form(self, page_url: str, url: str, data: dict) -> tuple[int, str]:
        """GET the page for its CSRF token, then POST to `url`."""
        _status, page = self.request(page_url)
        return self.request(url, {**data, "csrfmiddlewaretoken": CSRF.search(page).group(1)})

    def log_in(self, server: str, email: str) -> None:
        status, _text = self.post_form(
            f"{server}/accounts/login/", f"{server}/accounts/login/", {"username": email, "password": PASSWORD}
        )
        assert status == 302, f"{email} could not log in at {server}"


def quick_passwords(*people: User) -> None:
    """The web processes run the real settings, which do not accept the tests' MD5 hashes; a
    PBKDF2 hash with few rounds is accepted there and checked in no time."""
    hasher = PBKDF2PasswordHasher()
    for person in people:
        person.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
        person.save(update_fields=["password"])


def filing(world, category) -> dict:
    return filing_form_data(world, category=category)


def test_two_web_processes_and_two_workers_lose_nothing_and_send_nothing_twice(
    world, reporter, coordinator, handler, processes, redis_server, mail_server
):
    redis_server.start()
    reporters = [reporter] + [UserFactory(email=f"melder{n}@sykehus.test") for n in range(3)]
    for person in reporters[1:]:
        grant(person, Role.REPORTER, organisation=world.hospital)
    quick_passwords(*reporters, coordinator, handler)
    category = Category.objects.get(partnership=world.partnership, name="Annet")

    servers = [processes.web("web1"), processes.web("web2")]
    processes.worker("worker1")
    processes.worker("worker2")
    processes.beat("beat")
    for server in servers:
        wait_for(lambda s=server: _accepts(urlparse(s).port), 60, f"{server} did not start:\n" + processes.logs())

    browsers: list[Browser] = []

    def browser_for(email: str, login_at: str) -> Browser:
        browser = Browser()
        browser.log_in(login_at, email)
        browsers.append(browser)
        return browser

    # People log in at one process and go on at the other: sessions live in the database.
    def file_cases(index: int) -> list[str]:
        browser = browser_for(reporters[index].email, servers[index % 2])
        filed = []
        for number in range(FILINGS_PER_REPORTER):
            server = servers[(index + number + 1) % 2]
            status, _text = browser.post_form(f"{server}/avvik/ny/", f"{server}/avvik/ny/", filing(world, category))
            assert status == 302
            status, _text = browser.request(f"{server}/avvik/mine/")
            assert status == 200
            filed.append(number)
        return filed

    def read_lists(index: int) -> int:
        browser = browser_for(coordinator.email, servers[index % 2])
        pages = 0
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            for path in ("/avvik/triage/", "/avvik/alle/?status=submitted", "/statistikk/"):
                browser.request(f"{servers[pages % 2]}{path}")
                pages += 1
        return pages

    with ThreadPoolExecutor(max_workers=6) as pool:
        filings = [pool.submit(file_cases, index) for index in range(len(reporters))]
        readers = [pool.submit(read_lists, index) for index in range(2)]
        assert sum(len(f.result()) for f in filings) == len(reporters) * FILINGS_PER_REPORTER
        assert all(r.result() > 0 for r in readers)

    cases = Deviation.objects.filter(partnership=world.partnership)
    assert cases.count() == len(reporters) * FILINGS_PER_REPORTER
    assert cases.values("reference").distinct().count() == cases.count()

    # Six coordinators' sessions correct the same case from the same version at the same moment.
    edited = cases.order_by("pk").first()
    editors = [browser_for(coordinator.email, servers[n % 2]) for n in range(6)]
    tokens = []
    for n, browser in enumerate(editors):
        _status, page = browser.request(f"{servers[n % 2]}/avvik/{edited.reference}/endre/")
        tokens.append(CSRF.search(page).group(1))
    start = threading.Barrier(len(editors))

    def edit(n: int) -> int:
        start.wait()
        status, _text = editors[n].request(
            f"{servers[n % 2]}/avvik/{edited.reference}/endre/",
            {
                **filing(world, category),
                "title": f"Rettet av økt {n}",
                "version": edited.version,
                "csrfmiddlewaretoken": tokens[n],
            },
        )
        return status

    with ThreadPoolExecutor(max_workers=len(editors)) as pool:
        statuses = list(pool.map(edit, range(len(editors))))
    saved = [n for n, status in enumerate(statuses) if status == 302]
    assert len(saved) == 1, statuses
    assert all(status == 200 for status in statuses if status != 302)  # the form again, with the message
    edited.refresh_from_db()
    assert edited.title == f"Rettet av økt {saved[0]}"
    assert edited.version == 2

    # Two coordinators forward the same case at once: one does, the other is told it changed.
    contested = cases.filter(status=Status.SUBMITTED).exclude(pk=edited.pk).first()
    triagers = [browser_for(coordinator.email, server) for server in servers]
    pages = [b.request(f"{s}/avvik/{contested.reference}/")[1] for b, s in zip(triagers, servers, strict=True)]
    start = threading.Barrier(2)

    def forward(n: int) -> int:
        start.wait()
        return triagers[n].request(
            f"{servers[n]}/avvik/{contested.reference}/handling/forward/",
            {
                "forward-to": world.municipality.pk,
                "forward-category": category.pk,
                "forward-note": "",
                "forward-version": contested.version,
                "csrfmiddlewaretoken": CSRF.search(pages[n]).group(1),
            },
        )[0]

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(forward, range(2)))
    assert outcomes[0] == 302 and outcomes[1] in (403, 409), outcomes
    assert Transition.objects.filter(deviation=contested, action="forward").count() == 1

    wait_for(all_sent, 60, "notifications still pending:\n" + processes.logs())
    processes.stop()

    every_status = [status for browser in browsers for status in browser.statuses]
    assert not [status for status in every_status if status >= 500], every_status
    rows = set(Notification.objects.values_list("key", flat=True))
    keys = mail_server.keys()
    assert mail_server.duplicates() == {}
    assert rows - set(keys) == set()
    assert Notification.objects.filter(kind="new_case").count() == len(reporters) * FILINGS_PER_REPORTER
