"""The operations settings are parsed strictly: a bad value stops start-up naming the variable."""

import pytest

from samhandling import config
from tests.processes import run_check


def test_a_malformed_metrics_network_stops_start_up_naming_it(tmp_path):
    result = run_check(tmp_path, METRICS_ALLOWED_NETWORKS="10.0.0.0/8, the-office")
    assert result.returncode != 0
    assert "METRICS_ALLOWED_NETWORKS" in result.stderr and "the-office" in result.stderr


def test_an_unknown_log_format_stops_start_up(tmp_path):
    result = run_check(tmp_path, LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT" in result.stderr and "json, plain" in result.stderr


def test_networks_are_read_in_cidr_form_and_a_bare_address_is_one_host(monkeypatch):
    monkeypatch.setenv("X_NETWORKS", "10.0.0.0/8, 192.168.1.7 ,2001:db8::/32")
    assert [str(n) for n in config.env_networks("X_NETWORKS")] == ["10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32"]


@pytest.mark.parametrize(("environment", "expected"), [("production", "json"), ("development", "plain")])
def test_the_log_format_defaults_by_environment(tmp_path, environment, expected):
    import subprocess
    import sys

    from samhandling.config import generate_fernet_key
    from tests.processes import ROOT

    env = {
        "ENVIRONMENT": environment,
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEY": generate_fernet_key(),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        "VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.LOG_FORMAT)",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "samhandling.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == expected, result.stderr
