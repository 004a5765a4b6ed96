"""gunicorn's own lines and its access log come out in the site's JSON format, in UTC, with the request id."""

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta

import requests

from tests.processes import ROOT, free_port, wait_for


def test_every_gunicorn_line_is_json_in_utc_and_the_access_line_names_the_request(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(VAR_DIR=str(tmp_path), LOG_FORMAT="json", PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"))
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "samhandling.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--no-control-socket"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for(lambda: "Booting worker" in log.read_text(), 60, "gunicorn did not start")
            response = requests.get(
                f"http://127.0.0.1:{port}/healthz/live?q=Kari", headers={"X-Request-ID": "probe-0001-abcd"}, timeout=30
            )
            assert response.headers["X-Request-ID"] == "probe-0001-abcd"
            wait_for(lambda: '"event": "access"' in log.read_text(), 10, "no access line")
            metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=30).text
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert lines, "gunicorn wrote nothing"
    for line in lines:
        assert datetime.fromisoformat(line["timestamp"]).utcoffset() == timedelta(0)
    (access,) = [line for line in lines if line["event"] == "access" and line["path"] == "/healthz/live"]
    assert access["request_id"] == "probe-0001-abcd" and access["status"] == "200" and access["method"] == "GET"
    assert "Kari" not in json.dumps(lines)
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["event"] for line in lines)
    # Multiprocess mode: the request counters of both workers are added up in one answer.
    assert "django_http_requests_total_by_method_total" in metrics
