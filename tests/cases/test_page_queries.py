"""The case page and the filing form stay within a query budget, and their queries stay cheap to
plan: the case is read with few joins, each choice list is read once, and a view of a case writes
its access-log row without reading anything for it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from avvik.cases.choices import AccessKind
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccessLog
from avvik.cases.views.common import LIST_READ_AFTER, attach_related
from avvik.catalogue.models import Category
from avvik.tenancy.models import Organisation
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db

# Counted with the session, the person and their roles, the menu's counts and the session's save.
# A handler's and a reporter's page read the merged cases they may follow once per scoped read.
DETAIL_BUDGET = {"coordinator": 27, "handler": 37, "reporter": 29}
FILING_BUDGET = 19


def captured(client, url: str) -> list[str]:
    client.get(url)  # warm up: the session and caches settle on the first request
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    # The test's own transaction adds savepoints around each save; a request outside a test makes none.
    return [query["sql"] for query in context.captured_queries if "SAVEPOINT" not in query["sql"]]


@pytest.fixture
def forwarded_case(world, reporter, coordinator, handler):
    deviation = file_case(reporter, world.municipality, patient=True, attachment=True)
    return drive(deviation, "in_progress", coordinator=coordinator, handler=handler, reporter=reporter)


@pytest.mark.parametrize("persona", ["coordinator", "handler", "reporter"])
def test_the_case_page_keeps_its_query_budget(client, request, forwarded_case, persona):
    client.force_login(request.getfixturevalue(persona))
    queries = captured(client, reverse("cases:detail", args=[forwarded_case.reference]))
    assert len(queries) <= DETAIL_BUDGET[persona], "\n".join(queries)


def test_the_case_is_read_with_few_joins(client, coordinator, forwarded_case):
    client.force_login(coordinator)
    queries = captured(client, reverse("cases:detail", args=[forwarded_case.reference]))
    case_reads = [sql for sql in queries if '"cases_deviation"."reference" = ' in sql]
    # Twelve joined tables took PostgreSQL longer to plan than to run; its people, organisations
    # and units are read after it instead.
    assert case_reads
    assert all(sql.count(" JOIN ") <= 3 for sql in case_reads)


def test_a_view_of_the_case_writes_one_access_log_row_and_reads_none(client, handler, forwarded_case):
    client.force_login(handler)
    url = reverse("cases:detail", args=[forwarded_case.reference])
    before = AccessLog.objects.filter(deviation=forwarded_case, user=handler, kind=AccessKind.CASE).count()
    queries = captured(client, url)
    log_queries = [sql for sql in queries if "cases_accesslog" in sql]
    assert len(log_queries) == 1
    assert log_queries[0].startswith("INSERT")
    # Both views are logged: the warm-up and the measured one.
    assert AccessLog.objects.filter(deviation=forwarded_case, user=handler, kind=AccessKind.CASE).count() == before + 2
    entry = AccessLog.objects.filter(deviation=forwarded_case, user=handler).first()
    assert entry.organisation == handler.memberships.get().organisation


def test_the_filing_form_keeps_its_query_budget_and_reads_each_list_once(client, world, reporter):
    client.force_login(reporter)
    queries = captured(client, reverse("cases:new"))
    assert len(queries) <= FILING_BUDGET, "\n".join(queries)
    # No server-side cursor: a choice list is read once, into the form, not again while rendered.
    assert not [sql for sql in queries if sql.startswith("DECLARE")]
    selects = [sql for sql in queries if sql.startswith("SELECT")]
    assert len(selects) == len(set(selects)), "a query is made twice"


@pytest.mark.parametrize(
    ("persona", "list_name"), [("coordinator", "cases:all"), ("handler", "cases:handling"), ("reporter", "cases:mine")]
)
def test_a_list_reads_its_rows_without_joins(client, request, forwarded_case, persona, list_name):
    client.force_login(request.getfixturevalue(persona))
    queries = captured(client, reverse(list_name))
    row_reads = [sql for sql in queries if sql.startswith('SELECT "cases_deviation"."id"') and " LIMIT " in sql]
    # Five joined tables took PostgreSQL longer to plan than to run; the rows' organisations and
    # category come from the filter form's choices instead.
    assert len(row_reads) == 1
    assert " JOIN " not in row_reads[0]
    body = client.get(reverse(list_name)).content.decode()
    assert forwarded_case.reference in body
    assert forwarded_case.category.display_name in body
    assert forwarded_case.reporting_organisation.name in body
    assert forwarded_case.responsible_organisation.name in body


def test_related_rows_not_known_are_read_in_one_query_per_table(world, forwarded_case, reporter):
    other = file_case(reporter, world.municipality)
    deviations = list(Deviation.objects.filter(pk__in=[forwarded_case.pk, other.pk]))
    known = {Organisation: [world.municipality], Category: []}
    with CaptureQueriesContext(connection) as context:
        attach_related(deviations, LIST_READ_AFTER, known=known)
    tables = [sql.split(" FROM ")[1].split()[0] for sql in (query["sql"] for query in context.captured_queries)]
    assert sorted(tables) == ['"catalogue_category"', '"tenancy_organisation"']
    with CaptureQueriesContext(connection) as context:
        for deviation in deviations:
            names = (deviation.reporting_organisation.name, deviation.counterpart.name, deviation.category.name)
            assert all(names)
    assert context.captured_queries == []
    # A known row is used as it is, not read again.
    assert all(deviation.counterpart is world.municipality for deviation in deviations)
