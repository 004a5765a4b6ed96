"""`make run` serves the site's own error pages to anonymous visitors, never Django's debug page."""

import os
import subprocess
import sys

from tests.processes import ROOT


def test_debug_is_off_unless_asked_for(tmp_path):
    """`make run` serves the site's own error pages to anonymous visitors, not the debug page."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    environment["VAR_DIR"] = str(tmp_path)
    code = "from django.conf import settings; print(settings.DEBUG, settings.PRODUCTION)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "False"], result.stdout + result.stderr
