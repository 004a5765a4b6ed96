"""The six-grade consequence scale, and the data moved onto it from the earlier five grades."""

import importlib

from django.apps import apps

from avvik.cases.models.deviation import Deviation
from avvik.cases.models.saved_filters import SavedFilter
from avvik.catalogue.choices import Consequence, consequence_rank, current_consequence
from avvik.council.freezing import year_counts
from avvik.deadlines.models import DeadlinePolicy
from tests.builders import file_case

cases_migration = importlib.import_module("avvik.cases.migrations.0012_potential_consequence_and_six_grades")
deadlines_migration = importlib.import_module("avvik.deadlines.migrations.0003_six_consequence_grades")


def test_the_scale_has_six_grades_from_none_to_death():
    assert Consequence.values == ["none", "minor", "moderate", "significant", "very_serious", "death"]
    assert consequence_rank("death") > consequence_rank("very_serious") > consequence_rank("significant")


def test_earlier_values_read_as_their_successors():
    assert current_consequence("serious") == "significant"
    assert current_consequence("critical") == "very_serious"
    assert current_consequence("minor") == "minor"


def test_cases_and_saved_filters_move_to_the_new_grades(world, reporter):
    serious = file_case(reporter, world.municipality)
    critical = file_case(reporter, world.municipality)
    minor = file_case(reporter, world.municipality)
    # Written as the earlier scale stored them (the column takes any text).
    Deviation.objects.filter(pk=serious.pk).update(consequence="serious", potential_consequence="critical")
    Deviation.objects.filter(pk=critical.pk).update(consequence="critical")
    saved = SavedFilter.objects.create(
        owner=reporter, name="Alvorlige", list_name="all", query="consequence=serious&consequence=critical&q=serious"
    )
    untouched = SavedFilter.objects.create(owner=reporter, name="Mine", list_name="mine", query="q=epikrise")

    cases_migration.forward(apps, None)

    assert Deviation.objects.get(pk=serious.pk).consequence == "significant"
    assert Deviation.objects.get(pk=serious.pk).potential_consequence == "very_serious"
    assert Deviation.objects.get(pk=critical.pk).consequence == "very_serious"
    assert Deviation.objects.get(pk=minor.pk).consequence == "minor"
    # Only the consequence parameters change; a search for the word stays a search for the word.
    saved.refresh_from_db()
    assert saved.query == "consequence=significant&consequence=very_serious&q=serious"
    untouched.refresh_from_db()
    assert untouched.query == "q=epikrise"


def test_cases_move_back_when_the_migration_is_reversed(world, reporter):
    case = file_case(reporter, world.municipality)
    Deviation.objects.filter(pk=case.pk).update(consequence="death")
    cases_migration.backward(apps, None)
    assert Deviation.objects.get(pk=case.pk).consequence == "critical"


def test_deadline_policies_move_and_death_gets_the_deadlines_of_critical(world):
    DeadlinePolicy.objects.filter(partnership=world.partnership).exclude(consequence="").delete()
    DeadlinePolicy.objects.create(partnership=world.partnership, consequence="serious", triage_days=1, answer_days=4)
    DeadlinePolicy.objects.create(partnership=world.partnership, consequence="critical", triage_days=1, answer_days=2)

    deadlines_migration.forward(apps, None)

    policies = dict(
        DeadlinePolicy.objects.filter(partnership=world.partnership, category=None).values_list(
            "consequence", "answer_days"
        )
    )
    assert policies == {"": policies[""], "significant": 4, "very_serious": 2, "death": 2}


def test_figures_frozen_on_the_earlier_scale_are_read_on_the_new_one():
    quarter = {
        "new": 3,
        "closed": 0,
        "open_at_end": 3,
        "by_category": [],
        "by_clause": [],
        "by_consequence": [["none", 0], ["minor", 1], ["moderate", 0], ["serious", 1], ["critical", 1]],
        "by_reporting_organisation": [],
        "matrix_rows": [],
        "matrix_columns": [],
        "matrix": [],
        "triage": [0, 0],
        "answer": [0, 0],
        "handling_days": [],
        "backlog": [],
        "statutory_alerts": 0,
        "statutory_alerts_sent": 0,
        "measures_agreed": 0,
        "measures_done": 0,
        "rates": [],
    }
    newer = {**quarter, "by_consequence": [[value, 1] for value in Consequence.values]}
    year = year_counts([quarter, newer], volumes=[])
    assert dict(year["by_consequence"]) == {
        "none": 1,
        "minor": 2,
        "moderate": 1,
        "significant": 2,
        "very_serious": 2,
        "death": 1,
    }
