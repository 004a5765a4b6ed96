"""gunicorn's settings (read from the working directory; the image's and `make` commands run there).

Its own lines (start-up, worker restarts, the access log) are written in the site's format:
LOG_FORMAT and LOG_LEVEL as for Django, UTC timestamps with their offset, and the request id on each
access line (avvik/operations/logs.py). Options given on the command line or in GUNICORN_CMD_ARGS
still win.
"""

import os
import shutil
import tempfile
from pathlib import Path

from avvik.operations.logs import ACCESS_LOG_FORMAT, logging_config
from samhandling.config import env_choice, env_log_level

_production = env_choice("ENVIRONMENT", "development", ("development", "production")) == "production"
logconfig_dict = logging_config(
    env_choice("LOG_FORMAT", "json" if _production else "plain", ("json", "plain")),
    env_log_level("LOG_LEVEL", "INFO"),
)
access_log_format = ACCESS_LOG_FORMAT


# django-prometheus's counters live in each worker; in multiprocess mode prometheus_client keeps
# them in files in this folder and /metrics adds the workers up. Without a folder given, one of this
# master's own, so that two gunicorns on one machine never count into each other's.
_own_metrics_folder = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _own_metrics_folder:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="samhandling-prometheus-")


def on_starting(server: object) -> None:
    """Counts of processes from an earlier start would be added to this one's."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


def child_exit(server: object, worker: object) -> None:
    """A worker that has gone keeps its counters, but its gauges no longer count."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]


def on_exit(server: object) -> None:
    if _own_metrics_folder:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
