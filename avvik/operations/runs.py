"""How long the periodic jobs took, for the metrics (avvik.operations.metrics)."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from avvik.operations.models import PeriodicRun

REMINDER_SWEEP = "reminder_sweep"


@contextmanager
def timed_run(name: str) -> Iterator[None]:
    """Record the duration of the block as the last run of `name` when it completes. A run that
    raises is not recorded, so the age of the last run shows a sweep that keeps failing."""
    started = time.monotonic()
    yield
    PeriodicRun.objects.update_or_create(
        name=name, defaults={"finished_at": timezone.now(), "duration_seconds": time.monotonic() - started}
    )
