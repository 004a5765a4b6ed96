"""Work spread over threads that each hold their own database connection, so that the database can
work on two statements at once while Python waits for either.

For batch jobs whose time is mostly the database's (the reminder sweep): each item must be
independent of the others and commit on its own. The results come back in the caller's thread, in
the order they finish, so whatever the caller does with them (print, send, stop) runs there."""

import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import chain, islice
from typing import Any, TypeVar

from django.db import connections

Item = TypeVar("Item")
Result = TypeVar("Result")

_END = object()  # told to each thread once no item is left


def in_threads(work: Callable[[Item], Result], items: Iterable[Item], workers: int) -> Generator[Result, None, None]:
    """`work(item)` for each item, in `workers` threads; each result as it is done. Items are read
    only as threads become free, so a long iterable is never held whole. After the first error no
    new item is started; the error is raised once the started ones have finished. With one worker
    or fewer than two items, all is done in the caller's thread, on its connection."""
    rest = iter(items)
    first = list(islice(rest, 2))
    items = chain(first, rest)
    if workers <= 1 or len(first) < 2:
        yield from map(work, items)
        return
    waiting: queue.Queue[Any] = queue.Queue(maxsize=workers)  # the items, then _END
    done: queue.Queue[Result] = queue.Queue()
    failed: list[BaseException] = []

    def run() -> None:
        try:
            while (item := waiting.get()) is not _END:
                if failed:
                    continue  # drained, not started: the caller is told of the error
                try:
                    done.put(work(item))
                except BaseException as error:  # raised again in the caller's thread
                    failed.append(error)
        finally:
            connections.close_all()  # this thread's own: the caller's stay open

    threads = [threading.Thread(target=run, name=f"in-threads-{n}", daemon=True) for n in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for item in items:
            if failed:
                break
            waiting.put(item)
            yield from _ready(done)
    finally:
        for _ in threads:
            waiting.put(_END)
        for thread in threads:
            thread.join()
    yield from _ready(done)
    if failed:
        raise failed[0]


def _ready(done: queue.Queue[Result]) -> Iterator[Result]:
    while True:
        try:
            yield done.get_nowait()
        except queue.Empty:
            return
