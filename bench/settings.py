"""Settings for `make bench`: the site's own, with the floor page's URL added and, on request, less
middleware. The site's settings are not changed; gunicorn is started with
DJANGO_SETTINGS_MODULE=bench.settings.

- BENCH_MIDDLEWARE=bare: only Django's session and authentication middleware: the bare Django floor
  our stack is compared with. Both save the session only when it changes (Django's default, which
  the site keeps).
- BENCH_WITHOUT_MIDDLEWARE=<dotted path>[,<dotted path>...]: the site's middleware without these, to
  measure what each one costs on the floor page.
"""

import os

from samhandling.settings import *  # noqa: F403
from samhandling.settings import MIDDLEWARE as SITE_MIDDLEWARE

ROOT_URLCONF = "bench.urls"

SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"
BARE_MIDDLEWARE = [SESSION, AUTHENTICATION]
# Removed together: the second only reads what the first put on the request.
PAIRED = {
    "django_prometheus.middleware.PrometheusBeforeMiddleware": "django_prometheus.middleware.PrometheusAfterMiddleware",
}


def middleware(variant: str, without: str) -> list[str]:
    """The middleware list for a bench gunicorn (see the module docstring)."""
    if variant == "bare":
        return list(BARE_MIDDLEWARE)
    if variant != "site":
        raise ValueError(f"BENCH_MIDDLEWARE must be 'site' or 'bare', not {variant!r}")
    removed = {name.strip() for name in without.split(",") if name.strip()}
    removed |= {PAIRED[name] for name in removed if name in PAIRED}
    unknown = removed - set(SITE_MIDDLEWARE)
    if unknown:
        raise ValueError(f"BENCH_WITHOUT_MIDDLEWARE names middleware the site does not use: {sorted(unknown)}")
    return [name for name in SITE_MIDDLEWARE if name not in removed]


def removable() -> list[str]:
    """Our middleware the floor page can be measured without, each variant of the middleware step:
    all of the site's but Django's session and authentication middleware, which the bare floor keeps
    too, and the second of a pair, which goes with the first."""
    return [name for name in SITE_MIDDLEWARE if name not in (*BARE_MIDDLEWARE, *PAIRED.values())]


MIDDLEWARE = middleware(os.environ.get("BENCH_MIDDLEWARE", "site"), os.environ.get("BENCH_WITHOUT_MIDDLEWARE", ""))
