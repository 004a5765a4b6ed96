"""Free-text search: Norwegian full-text search on PostgreSQL, a substring match on SQLite."""

import pytest
from django.db import connection
from django.urls import reverse

from avvik.cases.models.deviation import Deviation
from avvik.cases.search import search_deviations
from tests.builders import file_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world, reporter):
    return {
        "xray": file_case(reporter, world.municipality, title="Røntgensvar mangler", description="Svaret kom ikke."),
        "address": file_case(
            reporter, world.municipality, title="Feil adresse", description="Epikrisene ble sendt til feil bydel."
        ),
    }


def found(text: str) -> set[str]:
    return {d.title for d in search_deviations(Deviation.objects.all(), text)}


def test_search_finds_a_word_in_the_title_or_the_description(cases):
    assert found("adresse") == {"Feil adresse"}
    assert found("bydel") == {"Feil adresse"}


def test_search_needs_every_word(cases):
    assert found("feil bydel") == {"Feil adresse"}
    assert found("feil røntgen") == set()


def test_search_finds_the_start_of_a_compound_word(cases):
    assert found("røntgen") == {"Røntgensvar mangler"}


def test_search_by_reference_in_any_case(cases):
    reference = cases["address"].reference
    assert found(reference.lower()) == {"Feil adresse"}


def test_search_ignores_operators_and_punctuation(cases):
    assert found("adresse & | ! :*") == {"Feil adresse"}
    assert found("&&& !!") == set()
    assert found("   ") == {"Røntgensvar mangler", "Feil adresse"}


def test_list_search_field_uses_the_search(client, cases, coordinator):
    client.force_login(coordinator)
    body = client.get(reverse("cases:all"), {"q": "bydel"}).content.decode()
    assert cases["address"].reference in body and cases["xray"].reference not in body


@pytest.mark.postgres
def test_postgres_search_stems_norwegian_words(cases):
    # "epikrise" finds "Epikrisene": the Norwegian stemmer, which a substring match cannot do.
    assert found("epikrise") == {"Feil adresse"}


@pytest.mark.postgres
def test_postgres_search_can_use_the_gin_index(cases):
    queryset = search_deviations(Deviation.objects.all(), "bydel")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would otherwise be scanned
        plan = queryset.explain()
    assert "deviation_search_document" in plan


def test_search_follows_a_changed_title_and_description(cases):
    # Written past the model, as a correction would be: the stored words follow the row.
    Deviation.objects.filter(pk=cases["xray"].pk).update(title="Laboratoriesvar borte", description="")
    assert found("laboratoriesvar") == {"Laboratoriesvar borte"}
    assert found("røntgen") == set()
    assert found("svaret") == set()


@pytest.mark.postgres
def test_postgres_search_reads_the_stored_words_and_no_list_carries_them(cases):
    sql = str(search_deviations(Deviation.objects.all(), "bydel").query)
    assert '"cases_deviation"."search_document" @@' in sql
    assert "to_tsvector" not in sql
    # Not a field: reading cases leaves the words in the table.
    assert "search_document" not in str(Deviation.objects.all().query)
