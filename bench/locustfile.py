"""The load mix for `make bench`: people log in with the form and use the site as they would.

Reporters file cases and follow their own; handlers work their organisation's list and accept
cases; coordinators triage, filter and search the partnership's cases; council members read
statistics. Every person also opens the bench-only raw page now and then: the baseline.

The plan (people, cases they may see, cases to act on) is made by `bench.measure plan` and
passed in BENCH_PLAN.
"""

import itertools
import json
import os
import random
import re
from datetime import datetime

import gevent.event
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read())  # noqa: SIM115
PASSWORD = os.environ["BENCH_PASSWORD"]
FILTERS = PLAN["filters"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Each case is acted on once in a run, whichever simulated person takes it.
FORWARD = iter(PLAN["forward"])
ACCEPT = {person["email"]: iter(person["accept"]) for person in PLAN["handlers"]}
PEOPLE = {role: itertools.cycle(PLAN[role]) for role in ("reporters", "handlers", "coordinators", "council")}
# Logging in is slow on purpose (PBKDF2), and twenty at once fill both cores for seconds: the
# measurement starts when everyone is in, so the numbers are for using the site, not for logging in.
USERS = int(os.environ.get("BENCH_USERS", "20"))
LOGGED_IN = {"count": 0}
EVERYONE_IN = gevent.event.Event()


class Person(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.person = next(PEOPLE[self.role])
        self.rng = random.Random()
        page = self.client.get("/accounts/login/", name="login: form")
        with self.client.post(
            "/accounts/login/",
            data={"username": self.person["email"], "password": PASSWORD, "csrfmiddlewaretoken": token(page.text)},
            name="login: submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused for {self.person['email']}")
        LOGGED_IN["count"] += 1
        if LOGGED_IN["count"] == USERS:
            self.environment.stats.reset_all()
            EVERYONE_IN.set()
        EVERYONE_IN.wait(timeout=120)

    def open_case(self) -> None:
        refs = self.person.get("refs") or []
        if refs:
            self.client.get(f"/avvik/{self.rng.choice(refs)}/", name="detail")

    def post_form(self, url: str, data: dict, name: str, page_text: str) -> None:
        """A POST that must redirect: anything else (form errors, a stale version) is a failure."""
        data["csrfmiddlewaretoken"] = token(page_text)
        with self.client.post(url, data=data, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code} instead of a redirect")

    @task(1)
    def raw(self) -> None:
        self.client.get("/bench/raw/", name="baseline: raw SQL page")


class Reporter(Person):
    role = "reporters"
    weight = 6

    @task(4)
    def mine(self) -> None:
        query = self.rng.choice(["", "?status=in_progress", "?status=answered&ordering=-created", "?ordering=status"])
        self.client.get(f"/avvik/mine/{query}", name="list: mine")

    @task(4)
    def detail(self) -> None:
        self.open_case()

    @task(2)
    def file(self) -> None:
        form = self.client.get("/avvik/ny/", name="filing: form")
        self.post_form(
            "/avvik/ny/",
            {
                "title": "Epikrise kom ikke fram",
                "occurred_at": datetime.now().strftime("%Y-%m-%dT%H:%M"),
                "consequence": self.rng.choice(["none", "minor", "moderate"]),
                "potential_consequence": "significant",
                "category": self.rng.choice(FILTERS["categories"]),
                "counterpart": self.rng.choice(self.person["counterparts"]),
                "description": "Epikrisen var ikke mottatt tre dager etter utskrivning.",
                "immediate_action": "Ringte avdelingen.",
            },
            "filing: submit",
            form.text,
        )


class Handler(Person):
    role = "handlers"
    weight = 6

    @task(4)
    def handling(self) -> None:
        query = self.rng.choice(["", "?overdue=true", "?status=in_progress&ordering=answer_due", "?ordering=-created"])
        self.client.get(f"/avvik/til-behandling/{query}", name="list: til-behandling")

    @task(4)
    def detail(self) -> None:
        self.open_case()

    @task(1)
    def accept(self) -> None:
        ref = next(ACCEPT[self.person["email"]], None)
        if ref is None:
            return
        page = self.client.get(f"/avvik/{ref}/", name="detail")
        version = re.search(r'name="accept-version" value="(\d+)"', page.text)
        if version is None:
            return  # someone else took it first; not a failure of the site
        self.post_form(
            f"/avvik/{ref}/handling/accept/",
            {"accept-version": version.group(1), "accept-note": ""},
            "triage: accept",
            page.text,
        )


class Coordinator(Person):
    role = "coordinators"
    weight = 6

    @task(2)
    def triage_list(self) -> None:
        self.client.get("/avvik/triage/", name="list: triage")

    @task(4)
    def all_filtered(self) -> None:
        organisation = self.rng.choice(FILTERS["organisations"])
        category = self.rng.choice(FILTERS["categories"])
        query = self.rng.choice(
            [
                "",
                f"?status=in_progress&status=forwarded&category={category}&ordering=-created",
                f"?responsible_organisation={organisation}&created_after={FILTERS['from']}",
                f"?reporting_organisation={organisation}&consequence=significant&consequence=moderate",
                "?overdue=true&ordering=answer_due",
                f"?page={self.rng.randint(2, 20)}",
            ]
        )
        self.client.get(f"/avvik/alle/{query}", name="list: alle (filtered)")

    @task(1)
    def search(self) -> None:
        self.client.get(f"/avvik/alle/?q={self.rng.choice(FILTERS['words'])}", name="list: alle (search)")

    @task(3)
    def detail(self) -> None:
        self.open_case()

    @task(1)
    def forward(self) -> None:
        case = next(FORWARD, None)
        if case is None:
            return
        page = self.client.get(f"/avvik/{case['ref']}/", name="detail")
        version = re.search(r'name="forward-version" value="(\d+)"', page.text)
        if version is None:
            return
        self.post_form(
            f"/avvik/{case['ref']}/handling/forward/",
            {
                "forward-to": case["to"],
                "forward-category": case["category"],
                "forward-note": "Videresendt til ansvarlig virksomhet.",
                "forward-version": version.group(1),
            },
            "triage: forward",
            page.text,
        )

    @task(1)
    def statistics(self) -> None:
        self.client.get("/statistikk/", name="statistics")


class CouncilMember(Person):
    role = "council"
    weight = 2

    @task(1)
    def statistics(self) -> None:
        period = self.rng.choice(FILTERS["periods"])
        self.client.get(f"/statistikk/?period={period}", name="statistics")


def token(page: str) -> str:
    match = CSRF.search(page)
    return match.group(1) if match else ""


# A role nobody holds in the plan is left out of the mix rather than failing at log-in.
for _user_class in (Reporter, Handler, Coordinator, CouncilMember):
    _user_class.abstract = not PLAN[_user_class.role]
del _user_class  # locust would take the loop variable for one more user class
