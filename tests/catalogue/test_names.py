"""Categories and clauses are named per language by the partnership; the reader's language is shown,
bokmål when no other name is given, and the council's counts are kept under the bokmål names."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from avvik.catalogue.models import AgreementClause, Category
from avvik.council.models import FrozenFigures
from avvik.deadlines.services import deadline_policy_set
from tests.builders import file_case

pytestmark = pytest.mark.django_db


def test_a_category_is_named_in_the_active_language_and_falls_back_to_bokmal(world):
    category = Category.objects.create(partnership=world.partnership, name="Pasientlogistikk", name_en="Patient flow")
    with translation.override("en"):
        assert str(category) == "Patient flow"
    with translation.override("nn"):  # no nynorsk name given
        assert str(category) == "Pasientlogistikk"
    with translation.override(None):  # no language: the source text, as frozen counts keep it
        assert category.display_name == "Pasientlogistikk"


def test_a_clause_keeps_its_point_and_names_its_title_in_the_active_language(world):
    clause = AgreementClause.objects.get(partnership=world.partnership, code="6.2 e)")
    with translation.override("nn"):
        assert str(clause) == "6.2 e) Helseføretaket: laboratoriesvar"
    with translation.override("en"):
        assert str(clause) == "6.2 e) The hospital trust: laboratory results"
    with translation.override("nb"):
        assert str(clause) == "6.2 e) Helseforetaket: laboratoriesvar"
    assert clause.source_label == "6.2 e) Helseforetaket: laboratoriesvar"


def test_a_new_partnership_gets_every_default_category_and_clause_in_three_languages(world):
    categories = Category.objects.filter(partnership=world.partnership)
    clauses = AgreementClause.objects.filter(partnership=world.partnership)
    assert categories.count() == 14 and clauses.count() == 27
    assert not categories.filter(name_nn="").exists() and not categories.filter(name_en="").exists()
    assert not clauses.filter(title_nn="").exists() and not clauses.filter(title_en="").exists()
    assert categories.get(name="Henvisninger med vedlegg").name_nn == "Tilvisingar med vedlegg"
    assert categories.get(name="Annet").name_en == "Other"


def read_statistics(client, user, language: str) -> str:
    user.language = language
    user.save(update_fields=["language"])
    with time_machine.travel("2027-01-15 09:00 +01:00", tick=False):
        client.force_login(user)
        return client.get(reverse("council:statistics"), {"period": "2026Q4"}).content.decode()


@pytest.fixture
def laboratory_cases(world, reporter):
    category = Category.objects.get(partnership=world.partnership, name="Laboratoriesvar")
    clause = AgreementClause.objects.get(partnership=world.partnership, code="6.2 e)")
    with time_machine.travel("2026-10-05 09:00 +02:00", tick=False):
        for _ in range(6):
            file_case(reporter, world.municipality, category=category, clause=clause)


def test_the_council_reads_categories_clauses_and_the_quarter_in_its_own_language(
    client, laboratory_cases, council_member
):
    english = read_statistics(client, council_member, "en")
    assert "Laboratory results" in english and "The hospital trust: laboratory results" in english
    assert "Laboratoriesvar" not in english and "Helseforetaket" not in english
    assert "Q4 2026" in english and "2026 K4" not in english

    nynorsk = read_statistics(client, council_member, "nn")
    assert "Helseføretaket: laboratoriesvar" in nynorsk and "Helseforetaket" not in nynorsk
    assert "4. kvartal 2026" in nynorsk


def test_frozen_council_figures_keep_the_bokmal_names_whoever_read_them_first(client, laboratory_cases, council_member):
    read_statistics(client, council_member, "en")

    frozen = FrozenFigures.objects.get(period_label="2026 K4")
    assert ["Laboratoriesvar", 6] in frozen.counts["by_category"]
    assert ["6.2 e) Helseforetaket: laboratoriesvar", 6] in frozen.counts["by_clause"]
    bokmal = read_statistics(client, council_member, "nb")
    assert "Laboratoriesvar" in bokmal and "4. kvartal 2026" in bokmal


def test_the_coordinators_deadline_rules_name_the_category_in_english(client, world, coordinator):
    category = Category.objects.get(partnership=world.partnership, name="Røntgensvar")
    deadline_policy_set(
        by=coordinator, partnership=world.partnership, category=category, consequence="", triage_days=1, answer_days=4
    )
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)

    page = client.get(reverse("deadlines:deadlines"), {"p": world.partnership.slug}).content.decode()

    assert "<td>Radiology results</td>" in page
    assert "Røntgensvar</td>" not in page
