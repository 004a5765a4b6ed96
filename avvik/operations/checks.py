"""System checks run by `manage.py check` (and so by `make run` before anything starts).

Under ENVIRONMENT=production the checks below are errors, not warnings: every management command,
gunicorn's first request and `check --deploy` refuse to go on. A site whose reminders reach only a
log, whose links point at a developer's machine or whose sender is an address nobody owns looks
healthy while it fails the people who depend on it.
"""

import ipaddress
from collections.abc import Sequence
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

# The sender settings.py falls back on; nobody receives replies or bounces there.
SHIPPED_SENDER = "Samhandling <noreply@samhandling.localhost>"
SHIPPED_SITE_URL = "http://127.0.0.1:8000"

# Backends that accept a message and deliver it to nobody. The file backend is among them: it
# writes each message to a folder on the host and the notification is marked sent all the same.
# A site that must hand its mail to another system gives it an SMTP relay instead.
UNDELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "console",
    "django.core.mail.backends.locmem.EmailBackend": "locmem",
    "django.core.mail.backends.dummy.EmailBackend": "dummy",
    "django.core.mail.backends.filebased.EmailBackend": "file",
}


@register()
def weasyprint_libraries(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """WeasyPrint needs Pango from the operating system to render the council's PDF reports."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        return [
            Error(
                f"WeasyPrint cannot load its system libraries ({exc}).",
                hint="Install Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
                id="samhandling.E001",
            )
        ]
    return []


@register()
def production_email(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """In production e-mail must leave the machine, from an address that can be answered."""
    if not settings.PRODUCTION:
        return []
    errors: list[CheckMessage] = []
    kind = UNDELIVERING_BACKENDS.get(str(settings.EMAIL_BACKEND))
    if kind is not None:
        errors.append(
            Error(
                f"EMAIL_BACKEND is Django's {kind} backend: notifications would be marked sent and reach nobody.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST (docs/deploy.md).",
                id="samhandling.E010",
            )
        )
    for name in ("DEFAULT_FROM_EMAIL", "SERVER_EMAIL"):
        problem = sender_problem(getattr(settings, name))
        if problem:
            errors.append(
                Error(
                    f"{name}={getattr(settings, name)!r} {problem}.",
                    hint=f"Set {name} to an address of your organisation, e.g. Samhandling <noreply@helse.example.no>.",
                    id="samhandling.E011",
                )
            )
    return errors


@register()
def production_site_url(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """In production SITE_URL is the public https address: links in e-mail and Message-IDs use it."""
    if not settings.PRODUCTION:
        return []
    problem = site_url_problem(settings.SITE_URL)
    if problem is None:
        return []
    return [
        Error(
            f"SITE_URL={settings.SITE_URL!r} {problem}.",
            hint="Set SITE_URL to the address people open, e.g. https://avvik.helse.example.no (docs/deploy.md).",
            id="samhandling.E012",
        )
    ]


def site_url_problem(url: str) -> str | None:
    """Why `url` cannot be the public address of a production site, or None when it can."""
    if url.rstrip("/") == SHIPPED_SITE_URL:
        return "is the development default"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "must start with https://"
    host = parts.hostname
    if not host:
        return "names no host"
    if is_local_host(host):
        return "points at this machine, not at an address others can reach"
    return None


def sender_problem(address: str) -> str | None:
    """Why `address` cannot be the sender of a production site, or None when it can."""
    if address == SHIPPED_SENDER:
        return "is the development default"
    _, mailbox = parseaddr(address)
    local, at, domain = mailbox.rpartition("@")
    if not at or not local or "." not in domain:
        return "is not an e-mail address with a domain"
    if is_local_host(domain):
        return "is at a domain that exists only on this machine"
    return None


def is_local_host(host: str) -> bool:
    """Whether `host` names this machine: localhost, *.localhost, or a loopback or unspecified address."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
