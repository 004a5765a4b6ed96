"""The demo and volume loaders refuse production: their people share a published password."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from avvik.tenancy.models import User
from samhandling.config import generate_fernet_key
from tests.processes import ROOT


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["seed_demo", "seed_volume"])
def test_refuses_under_production_settings_and_creates_nobody(settings, command):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match=f"{command} refuses to run with ENVIRONMENT=production"):
        call_command(command)
    assert not User.objects.exists()


def test_seed_demo_stops_with_one_line_and_a_failing_exit_status(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(
        ENVIRONMENT="production",
        VAR_DIR=str(tmp_path),
        SECRET_KEY="x" * 50,
        FIELD_ENCRYPTION_KEY=generate_fernet_key(),
        DATABASE_URL=f"sqlite:///{tmp_path}/x.db",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        SITE_URL="https://samhandling.example.no",
        DEFAULT_FROM_EMAIL="noreply@samhandling.example.no",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: seed_demo refuses to run with ENVIRONMENT=production: its people share a published password."
    ]
    assert not (tmp_path / "x.db").exists() or (tmp_path / "x.db").stat().st_size == 0
