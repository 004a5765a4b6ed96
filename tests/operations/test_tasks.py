import pytest
import time_machine
from django.utils import timezone

from avvik.operations.models import WorkerHeartbeat
from avvik.operations.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db


def test_heartbeat_keeps_one_row_with_the_latest_time():
    with time_machine.travel("2026-11-26 10:00 +01:00", tick=False):
        worker_heartbeat()
    with time_machine.travel("2026-11-26 10:01 +01:00", tick=False):
        worker_heartbeat()
        assert WorkerHeartbeat.objects.count() == 1
        assert WorkerHeartbeat.objects.get().beat_at == timezone.now()
