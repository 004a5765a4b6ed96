"""Production refuses to start with e-mail that reaches nobody, a development SITE_URL or sender."""

import re

import pytest

from avvik.operations.checks import sender_problem, site_url_problem
from samhandling.config import generate_fernet_key
from tests.processes import run_check

FINE = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": "x" * 50,
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "samhandling.example.no",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.no",
    "SITE_URL": "https://samhandling.example.no",
    "DEFAULT_FROM_EMAIL": "Samhandling <noreply@samhandling.example.no>",
}


def production(tmp_path, **changes):
    env = {**FINE, "FIELD_ENCRYPTION_KEY": generate_fernet_key(), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    env.update(changes)
    return run_check(tmp_path, **{k: v for k, v in env.items() if v is not None})


def test_production_with_smtp_a_public_site_url_and_a_real_sender_starts(tmp_path):
    result = production(tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("backend", "name"),
    [
        ("django.core.mail.backends.locmem.EmailBackend", "locmem"),
        ("django.core.mail.backends.filebased.EmailBackend", "file"),
        (None, "console"),  # the shipped default
    ],
)
def test_production_refuses_a_backend_that_delivers_to_nobody(tmp_path, backend, name):
    result = production(tmp_path, EMAIL_BACKEND=backend)
    assert result.returncode != 0
    assert "samhandling.E010" in result.stderr and f"{name} backend" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        None,
        "https://127.0.0.2:8443",
        "http://samhandling.example.no",
    ],
)
def test_production_refuses_a_loopback_default_or_plain_http_site_url(tmp_path, url):
    result = production(tmp_path, SITE_URL=url)
    assert result.returncode != 0
    assert "samhandling.E012" in result.stderr and "SITE_URL" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEFAULT_FROM_EMAIL", None),  # the shipped default
        ("SERVER_EMAIL", "errors@app.localhost"),
    ],
)
def test_production_refuses_a_sender_at_localhost(tmp_path, variable, value):
    result = production(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert "samhandling.E011" in result.stderr and variable in result.stderr


def test_development_keeps_its_defaults(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "fine"),
    [
        ("https://avvik.helse-nord.no", True),
        ("https://avvik.example.no:8443/", True),
        ("https://10.1.2.3", True),  # an internal address others can reach
        ("http://127.0.0.1:8000", False),
        ("https://localhost", False),
        ("https://[::1]/", False),
        ("https://app.localhost", False),
        ("https://0.0.0.0", False),
        ("ftp://avvik.example.no", False),
        ("https://", False),
    ],
)
def test_site_url_rules(url, fine):
    assert (site_url_problem(url) is None) is fine


@pytest.mark.parametrize(
    ("address", "fine"),
    [
        ("Samhandling <noreply@helse-nord.no>", True),
        ("avvik@kommune.no", True),
        ("noreply", False),
        ("noreply@samhandling.localhost", False),
        ("Samhandling <noreply@localhost>", False),
        ("Samhandling <noreply@intranet>", False),
        ("noreply@LOCALHOST.", False),
    ],
)
def test_sender_rules(address, fine):
    assert (sender_problem(address) is None) is fine


@pytest.mark.django_db
def test_message_id_is_at_the_host_of_site_url(world, reporter, coordinator, settings):
    from avvik.outbox.emails import build_message
    from avvik.outbox.models import Notification
    from tests.builders import file_case

    settings.SITE_URL = "https://samhandling.example.no"
    file_case(reporter, world.municipality)
    message_id = build_message(Notification.objects.get(recipient=coordinator)).message()["Message-ID"]
    assert re.fullmatch(r"<notification-[0-9a-f]{32}@samhandling\.example\.no>", message_id)
