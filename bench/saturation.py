"""The pages under saturation: gunicorn with 2 sync workers, wrk with 20 connections and no think
time (a closed loop, so queueing shows), one named page at a time, in rounds that alternate with the
floor page so that every ratio is to a floor measured minutes, not hours, apart. Also the floor page
without each of our middleware in turn, for what each one costs.

Settings: BENCH_SECONDS (per page, over all rounds; default 9, so 3 s a round), BENCH_ROUNDS (default 3),
BENCH_FLOOR_EVERY (our floor again after this many pages; default 6), BENCH_PAGES (a regular
expression choosing pages by name), BENCH_SESSIONS (signed-in sessions per role; default 4),
BENCH_MIDDLEWARE_SECONDS (per middleware variant, in two runs each beside the full stack; default 4).
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from bench import pages as named
from bench import wrk
from bench.load import free_port, own_redis, site_environment, stop, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORKERS = 2
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SECOND_FACTOR_PATH = "/konto/totrinn/"
# Seconds of unrecorded requests to each page (and each middleware variant) before it is measured.
WARM_UP_SECONDS = 1.0


def settings() -> dict:
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    return {
        "seconds": float(os.environ.get("BENCH_SECONDS", "9")),
        "rounds": rounds,
        "floor_every": int(os.environ.get("BENCH_FLOOR_EVERY", "6")),
        "pages": os.environ.get("BENCH_PAGES", ""),
        "sessions": int(os.environ.get("BENCH_SESSIONS", "4")),
        "middleware_seconds": float(os.environ.get("BENCH_MIDDLEWARE_SECONDS", "4")),
        "workers": WORKERS,
        "connections": wrk.CONNECTIONS,
    }


# Serving -----------------------------------------------------------------------------------------


@contextmanager
def served(out: Path, partnership: int, redis_url: str | None, *, variant: str = "site", without: str = ""):
    """A gunicorn of 2 sync workers with bench/settings.py's middleware; yields its base URL."""
    env = {
        **site_environment(out, partnership),
        "BENCH_MIDDLEWARE": variant,
        "BENCH_WITHOUT_MIDDLEWARE": without,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    port = free_port()
    name = re.sub(r"[^a-z]+", "-", f"{variant}-{without}".lower()).strip("-")
    log = open(out / f"gunicorn-saturation-{name}.log", "w")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "samhandling.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, 60, process, "gunicorn")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
        log.close()


# Signing in --------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(opener, url: str, data: dict) -> tuple[int, str]:
    """POST without following the redirect: the status and where it points."""
    try:
        response = opener.open(url, urlencode(data).encode(), timeout=60)
        return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def log_in(base: str, email: str, password: str, totp_key: str | None = None) -> str:
    """Sign in with the login form as a browser does, and the authenticator code when the site asks
    for one (the plan carries the person's TOTP key when they have a device); returns the Cookie
    header of the signed-in session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(f"{base}/accounts/login/", timeout=60).read().decode()
    status, location = _post(
        opener,
        f"{base}/accounts/login/",
        {"username": email, "password": password, "csrfmiddlewaretoken": _token(page)},
    )
    if status != 302:
        raise SystemExit(f"Logging in as {email} answered {status}: is BENCH_PASSWORD right?")
    if SECOND_FACTOR_PATH in location:
        if not totp_key:
            raise SystemExit(
                f"{email} must give a second factor and has no authenticator device in the plan: "
                "run the bench with SECOND_FACTOR=off, or give the person a device."
            )
        from django_otp.oath import TOTP

        page = opener.open(f"{base}{SECOND_FACTOR_PATH}", timeout=60).read().decode()
        code = f"{TOTP(bytes.fromhex(totp_key)).token():06d}"
        status, location = _post(
            opener, f"{base}{SECOND_FACTOR_PATH}", {"code": code, "csrfmiddlewaretoken": _token(page)}
        )
        if status != 302 or SECOND_FACTOR_PATH in location:
            raise SystemExit(f"The second factor for {email} was refused ({status})")
    # Built by hand: the jar would keep a Secure cookie back from plain http on loopback.
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def _token(page: str) -> str:
    match = CSRF.search(page)
    return match.group(1) if match else ""


def sessions(base: str, plan: dict, password: str, roles: set[str], count: int) -> dict[str, list[str]]:
    """`count` signed-in sessions per role, spread over the plan's people in that role."""
    result = {}
    for role in sorted(roles):
        people = plan[role]
        if not people:
            raise SystemExit(f"The plan has no {role}: seed the benchmark database first.")
        result[role] = [
            log_in(base, people[n % len(people)]["email"], password, people[n % len(people)].get("totp"))
            for n in range(count)
        ]
    return result


def check(url: str, cookie: str) -> None:
    """The page answers 200 for the person: a redirect to the login (a lost session) or an error
    would be measured as a fast page. Asked twice, so that both workers have loaded it once."""
    opener = urllib.request.build_opener(_NoRedirect)
    for _ in range(WORKERS):
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310  (our own http on loopback)
        try:
            status = opener.open(request, timeout=120).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise SystemExit(f"{url} answered {status} instead of 200: the saturation run would measure that")


def answering(url: str, cookies: list[str]) -> list[str]:
    """The sessions whose person the page answers 200, each asked once."""
    opener = urllib.request.build_opener(_NoRedirect)
    found = []
    for cookie in dict.fromkeys(cookies):
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310  (our own http on loopback)
        try:
            status = opener.open(request, timeout=120).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status == 200:
            found.append(cookie)
    return found


# Measuring ---------------------------------------------------------------------------------------


def measure(out: Path, plan_path: Path, password: str) -> dict:
    """Every named page under saturation, in rounds alternating with our floor and the bare floor."""
    config = settings()
    plan = json.loads(plan_path.read_text())
    # The layout floor is driven like a page, so that the lower bound of every page is a ratio of
    # the same run (it has no target of its own).
    layout = {"name": named.LAYOUT_FLOOR, "kind": "layout", "url": named.LAYOUT_FLOOR_PATH, "people": "coordinators"}
    pages = [layout, *named.select(named.named_pages(plan), config["pages"])]
    seconds = config["seconds"] / config["rounds"]
    own = own_redis()
    redis_url = own[1] if own else None
    runs: list[dict] = []
    skipped: dict[str, str] = {}
    try:
        with (
            served(out, plan["partnership"], redis_url) as site,
            served(out, plan["partnership"], redis_url, variant="bare") as bare,
        ):
            cookies = sessions(
                site, plan, password, {"coordinators", *(p["people"] for p in pages)}, config["sessions"]
            )
            floor = {"name": named.FLOOR, "url": site + named.FLOOR_PATH, "people": "coordinators"}
            bare_floor = {"name": named.BARE_FLOOR, "url": bare + named.FLOOR_PATH, "people": "coordinators"}
            for target in (floor, bare_floor):
                check(target["url"], cookies[target["people"]][0])
            targets = [floor, bare_floor]
            # Each page is asked for only by the sessions it answers 200: page 5 of a queue with
            # fewer cases than five pages is a 404, and that is not the page's speed. A page no
            # session can open is left out and named in the report.
            for page in pages:
                url = site + page["url"]
                answered = answering(url, cookies[page["people"]])
                if not answered:
                    skipped[page["name"]] = f"{url} answered none of the {page['people']}' sessions with 200"
                    continue
                check(url, answered[0])
                cookies[page["name"]] = answered
                targets.append({**page, "url": url, "people": page["name"]})

            def one(target: dict, round_: int) -> None:
                # What wrk sent and stopped waiting for is still queued at the workers: it is let
                # finish after each run, or the next run would measure this one's leftovers.
                server = bare_floor if target is bare_floor else floor
                figures = wrk.run(target["url"], seconds, cookies[target["people"]])
                check(server["url"], cookies["coordinators"][0])
                longer = wrk.longer_run(seconds, figures["requests"])
                if longer:
                    figures = {**wrk.run(target["url"], longer, cookies[target["people"]]), "longer": longer}
                    check(server["url"], cookies["coordinators"][0])
                runs.append({"round": round_, "name": target["name"], **figures})
                print(
                    f"    round {round_} {target['name']}: p95 {figures['p95']} ms, {figures['rps']} req/s", flush=True
                )

            # Warmed up first, unrecorded: a worker's first requests to a page read its templates,
            # open the database connection and prepare its statements. Round 1 measured that, and
            # the bare floor, asked for first, came out slower than ours in some runs.
            for target in targets:
                wrk.run(target["url"], WARM_UP_SECONDS, cookies[target["people"]])
                check((bare_floor if target is bare_floor else floor)["url"], cookies["coordinators"][0])
            for round_ in range(1, config["rounds"] + 1):
                one(bare_floor, round_)
                one(floor, round_)
                for index, page in enumerate(targets[2:]):
                    if index and index % config["floor_every"] == 0:
                        one(floor, round_)
                    one(page, round_)
                one(floor, round_)
    finally:
        if own:
            stop(own[0])
    kinds = {page["name"]: page["kind"] for page in pages}
    return {
        "settings": config,
        "order": [named.FLOOR, named.BARE_FLOOR, *(page["name"] for page in pages)],
        "urls": {page["name"]: page["url"] for page in pages},
        "runs": runs,
        "skipped": skipped,
        "pages": wrk.summarise(runs, kinds),
    }


def removable_middleware() -> list[str]:
    """bench/settings.py's removable(), read in a process of its own: the settings read the
    environment and need not be imported here."""
    code = "import json; from bench.settings import removable; print(json.dumps(removable()))"
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# Each variant is run in this many pairs of short runs, each pair with one of the site with all of
# its middleware (the variant first, then the other way round), so that a variant is compared with the
# full stack measured seconds apart: one run per variant against the full stack at the start and the
# end read the machine's drift as cost.
MIDDLEWARE_PAIRS = 2


def middleware(out: Path, plan_path: Path, password: str) -> dict:
    """The floor page under saturation without each of our middleware in turn, and with only the
    bare Django floor's (a gunicorn started for each and warmed up), each run beside the site with
    all of its middleware (a gunicorn kept running throughout), as MIDDLEWARE_PAIRS pairs of short
    runs."""
    config = settings()
    plan = json.loads(plan_path.read_text())
    removable = removable_middleware()
    seconds = config["middleware_seconds"] / MIDDLEWARE_PAIRS
    variants: list[dict] = []
    own = own_redis()
    redis_url = own[1] if own else None
    try:
        with served(out, plan["partnership"], redis_url) as site:
            cookies = sessions(site, plan, password, {"coordinators"}, config["sessions"])["coordinators"]
            everything = site + named.FLOOR_PATH
            for variant, without in [*(("site", name) for name in removable), ("bare", "")]:
                with served(out, plan["partnership"], redis_url, variant=variant, without=without) as base:
                    url = base + named.FLOOR_PATH
                    try:
                        check(url, cookies[0])
                    except SystemExit as refused:
                        variants.append(
                            {"variant": variant, "without": without, "rps": None, "p95": None, "error": str(refused)}
                        )
                        continue
                    wrk.run(url, WARM_UP_SECONDS, cookies)  # a fresh gunicorn's first requests are slow
                    runs, beside = [], []
                    for pair in range(MIDDLEWARE_PAIRS):
                        # In turn A B, B A: a steady drift then weighs on both alike.
                        first, second = (runs, url), (beside, everything)
                        for found, where in (first, second) if pair % 2 == 0 else (second, first):
                            found.append(wrk.run(where, seconds, cookies))
                figures, site_figures = wrk.mean_figures(runs), wrk.mean_figures(beside)
                variants.append({"variant": variant, "without": without, **figures, "beside": site_figures})
                label = without or variant
                print(
                    f"    floor without {label}: {figures['rps']} req/s (all of it beside: {site_figures['rps']})",
                    flush=True,
                )
    finally:
        if own:
            stop(own[0])
    return {
        "settings": {**config, "pairs": MIDDLEWARE_PAIRS},
        "variants": variants,
        "costs": wrk.middleware_costs([v for v in variants if v["variant"] == "site"], WORKERS),
    }
