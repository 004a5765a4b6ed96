"""Kept statements: made by the ORM once per key, run fresh every time."""

from unittest import mock

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.sql.query import Query
from django.test.utils import CaptureQueriesContext

from avvik.core.statements import KeptStatements, forget_kept_rows, kept_rows
from avvik.tenancy.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget():
    forget_kept_rows()
    yield
    forget_kept_rows()


def organisations_of(partnership_id: int):
    return Organisation.objects.filter(partnership__in=[partnership_id]).order_by("name")


def test_the_rows_are_the_querysets_own_model_instances(world):
    queryset = organisations_of(world.partnership.pk)
    rows = kept_rows(queryset, world.partnership.pk)
    assert rows == list(queryset)
    assert [row.name for row in rows] == ["Sidevik kommune", "Test sykehus HF", "Testvik kommune"]
    assert [row.partnership_id for row in rows] == [world.partnership.pk] * 3
    assert not rows[0]._state.adding


def test_the_sql_is_made_once_per_key_and_the_rows_are_read_every_time(world):
    key = world.partnership.pk
    kept_rows(organisations_of(key), key)
    world.hospital.name = "Nytt navn HF"
    world.hospital.save()
    with mock.patch.object(Query, "sql_with_params", autospec=True) as made, CaptureQueriesContext(connection) as run:
        rows = kept_rows(organisations_of(key), key)
    assert made.call_count == 0
    assert len(run) == 1
    assert "Nytt navn HF" in [row.name for row in rows]


def test_another_key_is_another_statement(world):
    kept_rows(organisations_of(world.partnership.pk), world.partnership.pk)
    rows = kept_rows(organisations_of(world.other_partnership.pk), world.other_partnership.pk)
    assert [row.name for row in rows] == ["Annet sykehus HF"]


def test_an_empty_queryset_reads_nothing(world):
    with CaptureQueriesContext(connection) as run:
        assert kept_rows(Organisation.objects.filter(partnership__in=[]), "none") == []
    assert len(run) == 0


@pytest.mark.parametrize(
    "narrowed",
    [
        lambda qs: qs.values("pk", "name"),
        lambda qs: qs.only("name"),
        lambda qs: qs.select_related("partnership"),
        lambda qs: qs.annotate(one=Value(1)),
        lambda qs: qs.extra(select={"one": "1"}),
    ],
)
def test_only_whole_rows_of_one_model_are_read(world, narrowed):
    with pytest.raises(ValueError, match="whole rows"):
        kept_rows(narrowed(organisations_of(world.partnership.pk)), "narrowed")


def test_the_least_recently_used_statement_goes_first():
    kept = KeptStatements[str](2)
    kept.get("a", lambda: "A")
    kept.get("b", lambda: "B")
    kept.get("a", lambda: "not made again")
    kept.get("c", lambda: "C")
    assert kept.get("a", lambda: "made again") == "A"
    assert kept.get("b", lambda: "made again") == "made again"
