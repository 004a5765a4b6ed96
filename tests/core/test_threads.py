"""Work spread over threads: every item done once, no more at a time than asked, errors raised in
the caller's thread, and no thread or connection left behind."""

import threading
import time

import pytest

from avvik.core.threads import in_threads


def alive() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name.startswith("in-threads-")]


def test_each_item_is_done_once_and_its_result_comes_back():
    assert sorted(in_threads(lambda n: n * n, range(50), workers=3)) == [n * n for n in range(50)]
    assert alive() == []


def test_one_worker_or_one_item_runs_in_the_callers_thread():
    caller = threading.get_ident()
    assert set(in_threads(lambda n: threading.get_ident(), range(5), workers=1)) == {caller}
    assert set(in_threads(lambda n: threading.get_ident(), range(1), workers=2)) == {caller}
    assert list(in_threads(lambda n: n, [], workers=2)) == []


def test_no_more_items_run_or_wait_at_once_than_the_workers_and_their_queue_hold():
    lock, running, most, read = threading.Lock(), [0], [0], [0]

    def items():
        for n in range(40):
            read[0] += 1
            yield n

    def work(n: int) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.002)
        with lock:
            running[0] -= 1
        return n

    results = in_threads(work, items(), workers=2)
    first = next(results)
    assert read[0] <= 2 + 2 + 1  # two at work, two waiting, the one being put
    assert sorted([first, *results]) == list(range(40))
    assert 1 <= most[0] <= 2


def test_the_first_error_is_raised_in_the_caller_after_the_started_items_finish():
    started, finished = [], []

    def work(n: int) -> int:
        started.append(n)
        if n == 3:
            raise ValueError("batch 3")
        time.sleep(0.005)
        finished.append(n)
        return n

    with pytest.raises(ValueError, match="batch 3"):
        list(in_threads(work, range(1000), workers=2))
    assert len(started) < 20  # no new item began after the error was seen
    assert sorted(finished) == sorted(n for n in started if n != 3)
    assert alive() == []


def test_a_caller_that_stops_early_leaves_no_thread_behind():
    results = in_threads(lambda n: n, range(1000), workers=2)
    next(results)
    results.close()
    assert alive() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_each_thread_closes_its_own_connection_and_leaves_the_callers_open():
    from django.db import connection

    def running(pids: set[int]) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [sorted(pids)])
            return {row[0] for row in cursor.fetchall()}

    def work(n: int) -> int:
        with connection.cursor() as cursor:  # the thread's own connection
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    # Open before the threads start, whatever an earlier test left: it must be open, and the same, after.
    connection.ensure_connection()
    caller = connection.connection.info.backend_pid
    pids = set(in_threads(work, range(20), workers=2))
    assert connection.connection is not None and connection.connection.info.backend_pid == caller
    assert len(pids) == 2 and caller not in pids
    # A server process ends a moment after its client closes the connection: wait for it, briefly.
    deadline = time.monotonic() + 10
    while running(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running(pids) == set()
    assert running({caller}) == {caller}
