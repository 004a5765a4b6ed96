"""The code's own constants written into statements, and the plans PostgreSQL keeps for them."""

from datetime import date

import pytest
from django.db import connection, models
from django.db.models import F, Value

from avvik.cases.choices import ANSWER_CLOCK_RUNNING, OPEN_STATUSES, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.querysets import waiting_rank
from avvik.cases.relations import suggestions
from avvik.cases.search import search_deviations
from avvik.core.literals import Inline, WrittenExact, WrittenIn, inline_choices
from tests.builders import file_case
from tests.plans import drop_indexes_except, generic_plan, generic_plan_of

pytestmark = pytest.mark.django_db


def where(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql.split(" WHERE ", 1)[1], params


def test_a_status_of_the_code_is_written_into_the_statement():
    sql, params = where(Deviation.objects.filter(status__in=OPEN_STATUSES, partnership_id=7))
    assert "IN ('submitted', 'forwarded', 'in_progress', 'waiting', 'answered')" in sql
    assert list(params) == [7]
    sql, params = where(Deviation.objects.filter(status=Status.WAITING))
    assert sql.startswith('"cases_deviation"."status" = \'waiting\'') and not params


def test_a_status_through_a_relation_is_written_too():
    from avvik.cases.models import Comment

    sql, params = where(Comment.objects.filter(deviation__status=Status.CLOSED))
    assert "= 'closed'" in sql and not params


@pytest.mark.parametrize("value", ["bogus", "x'y", "waiting' OR '1'='1"])
def test_any_other_value_stays_a_parameter(value):
    sql, params = where(Deviation.objects.filter(status=value))
    assert value in params and value not in sql
    sql, params = where(Deviation.objects.filter(status__in=[Status.WAITING, value]))
    assert list(params) == [Status.WAITING, value] and "'waiting'" not in sql


def test_the_written_status_finds_the_same_cases(world, reporter):
    case = file_case(reporter, world.municipality)
    assert list(Deviation.objects.filter(status__in=OPEN_STATUSES)) == [case]
    assert list(Deviation.objects.filter(status=Status.SUBMITTED)) == [case]
    assert not Deviation.objects.filter(status__in=ANSWER_CLOCK_RUNNING).exists()


def test_only_plain_identifiers_are_written():
    with pytest.raises(ValueError, match="plain identifiers"):
        inline_choices(models.CharField(), ["ok", "not ok"])


def test_every_condition_of_a_partial_index_on_cases_is_written_whole():
    # A kept plan uses a partial index only when the statement shows its condition's constants.
    conditions = [index.condition for index in Deviation._meta.indexes if index.condition is not None]
    assert conditions
    for condition in conditions:
        sql, params = where(Deviation.objects.filter(condition))
        assert not params, (sql, params)


def test_whole_numbers_are_written_into_the_statement():
    sql, params = where(Deviation.objects.filter(WrittenExact(F("reporter_id"), 42), partnership_id=7))
    assert '"cases_deviation"."reporter_id" = 42' in sql and list(params) == [7]
    sql, params = where(Deviation.objects.filter(WrittenIn(F("reporting_organisation_id"), [5, 3, 5])))
    assert '"cases_deviation"."reporting_organisation_id" IN (5, 3)' in sql and not params


@pytest.mark.parametrize("value", ["42", "SA-2026-00001", "1 OR 1=1"])
def test_a_value_that_is_not_a_whole_number_stays_a_parameter(value):
    sql, params = where(Deviation.objects.filter(WrittenExact(F("reference"), value)))
    assert list(params) == [value] and value not in sql
    sql, params = where(Deviation.objects.filter(WrittenIn(F("reference"), [value])))
    assert list(params) == [value] and value not in sql


def test_a_truth_value_is_not_written_as_a_number():
    sql, params = where(Deviation.objects.filter(WrittenExact(F("unexpected"), True)))
    assert list(params) == [True] and "= 1" not in sql


def test_the_written_numbers_find_the_same_cases(world, reporter, colleague_reporter):
    own = file_case(reporter, world.municipality)
    file_case(colleague_reporter, world.municipality)
    found = Deviation.objects.filter(
        WrittenExact(F("reporter_id"), reporter.pk),
        WrittenIn(F("reporting_organisation_id"), [own.reporting_organisation_id]),
    )
    assert list(found) == [own]
    assert not Deviation.objects.filter(WrittenExact(F("reporter_id"), reporter.pk), WrittenIn(F("pk"), [-1])).exists()


@pytest.mark.postgres
def test_an_inlined_expression_has_no_parameters_and_keeps_a_percent_sign(world, reporter):
    file_case(reporter, world.municipality)
    queryset = Deviation.objects.annotate(rank=Inline(waiting_rank()), label=Inline(Value("50% 'x'")))
    sql, params = queryset.filter(partnership_id=world.partnership.pk).query.sql_with_params()
    assert "THEN 0" in sql and list(params) == [world.partnership.pk]
    assert list(queryset.values_list("rank", "label")) == [(1, "50% 'x'")]


# Indexes whose predicate names statuses (Deviation.Meta.indexes).
PARTIAL = ("deviation_answer_clock_due", "deviation_open_created", "deviation_open_resp_assignee")


@pytest.mark.postgres
def test_a_kept_plan_can_use_an_index_that_names_statuses(world):
    queryset = Deviation.objects.filter(
        partnership_id=world.partnership.pk, status__in=ANSWER_CLOCK_RUNNING, answer_due__lt=date(2026, 12, 2)
    )
    # Only the partial indexes are left: a statement whose statuses were parameters could use none.
    drop_indexes_except(Deviation._meta.db_table, PARTIAL)
    plan = generic_plan(queryset, enable_seqscan="off")
    assert any(name in plan for name in PARTIAL), plan


@pytest.mark.postgres
def test_a_kept_plan_reads_a_reporters_list_in_the_index_order(reporter):
    queryset = Deviation.objects.visible_to(reporter).waiting_first()[:25]
    plan = generic_plan(queryset, enable_seqscan="off", enable_sort="off")
    assert "deviation_reporter_waiting" in plan
    assert "Sort" not in plan


@pytest.mark.postgres
def test_a_search_is_planned_for_its_words_and_can_use_the_text_index():
    queryset = search_deviations(Deviation.objects.filter(partnership_id=1), "røntgensvar forsinket")
    sql, params = queryset.query.sql_with_params()
    assert "røntgensvar:* & forsinket:*" in sql and list(params) == [1]
    # Every partnership: the text index is then the only one that serves the condition.
    queryset = search_deviations(Deviation.objects.all(), "røntgensvar forsinket")
    plan = generic_plan(queryset, enable_seqscan="off", enable_indexscan="off")
    assert "deviation_search_document" in plan


@pytest.mark.postgres
def test_a_kept_plan_finds_suggestions_by_message_id_through_its_index(world, reporter, coordinator):
    case = file_case(reporter, world.municipality, message_id="abc-123")
    for message_id in ("def-456", "ghi-789", ""):
        file_case(reporter, world.municipality, message_id=message_id)
    # Statistics as a live table has them (an empty one is guessed at from its row width): one
    # partnership, several message ids, so that the message id is what narrows.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Deviation._meta.db_table}")
    ran = []

    def keep(execute, sql, params, many, context):
        ran.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        suggestions(coordinator, case)
    sql, params = next((sql, params) for sql, params in ran if '"message_id" = %s' in sql)
    # Read through a bitmap, where no index gains by its order: the one that narrows most wins.
    plan = generic_plan_of(sql, params, enable_seqscan="off", enable_indexscan="off")
    assert "deviation_partner_message" in plan
