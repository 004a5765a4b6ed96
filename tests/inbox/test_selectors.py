"""The bell's count: one kept statement per person, run afresh at every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from avvik.inbox import selectors
from avvik.inbox.models import SiteNotice
from avvik.inbox.selectors import unread_count
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import notify
from tests.builders import file_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def statements_made(monkeypatch):
    """How many times the bell's statement was made by the ORM (not kept)."""
    selectors.unread_statement.cache_clear()
    made = []
    real = selectors.capped_counts_statement

    def spy(querysets, *, cap):
        made.append(cap)
        return real(querysets, cap=cap)

    monkeypatch.setattr(selectors, "capped_counts_statement", spy)
    yield made
    selectors.unread_statement.cache_clear()


def test_the_count_is_made_once_per_person_and_counts_what_is_unread_now(
    world, reporter, handler, coordinator, statements_made
):
    case = file_case(reporter, world.municipality)
    notify(kind=NotificationKind.COMMENT, recipients=[handler], deviation=case, threshold="c1")
    assert unread_count(handler) == 1
    notify(kind=NotificationKind.COMMENT, recipients=[handler, coordinator], deviation=case, threshold="c2")
    with CaptureQueriesContext(connection) as context:
        assert unread_count(handler) == 2
    assert len(context.captured_queries) == 1
    # The coordinator's own (the filing's notice and the comment's), not the handler's.
    assert unread_count(coordinator) == SiteNotice.objects.of(coordinator).unread().count() == 2
    SiteNotice.objects.filter(recipient=handler).update(read_at=timezone.now())
    assert unread_count(handler) == 0
    assert statements_made == [100, 100]  # the handler's, then the coordinator's


def test_an_inactive_person_has_no_unread_notices(world, reporter, handler):
    notify(kind=NotificationKind.COMMENT, recipients=[handler], deviation=file_case(reporter, world.municipality))
    assert unread_count(handler) == 1
    handler.is_active = False
    assert unread_count(handler) == 0
