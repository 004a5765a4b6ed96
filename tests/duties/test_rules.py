"""The alert rule that applies is the one in force on the day the event occurred."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from avvik.duties.models import AlertRule
from avvik.duties.rules import required_rule, rule_in_force
from tests.builders import file_case
from tests.duties.helpers import grade

pytestmark = pytest.mark.django_db


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def test_the_seeded_rule_requires_very_serious_harm_or_death_when_unexpected(world, reporter):
    case = grade(file_case(reporter, world.municipality))
    rule = required_rule(case)
    assert rule is not None
    assert rule.consequences == ["very_serious", "death"]
    assert "Statens helsetilsyn" in rule.recipients
    assert rule.deadline_working_days is None  # at once


@pytest.mark.parametrize(
    ("consequence", "unexpected", "required"),
    [
        ("death", True, True),
        ("very_serious", False, False),
        ("significant", True, False),
        ("serious", True, False),  # the old grade is no longer "very serious harm"
    ],
)
def test_only_the_rules_consequences_and_an_unexpected_event_require_an_alert(
    world, reporter, consequence, unexpected, required
):
    case = grade(file_case(reporter, world.municipality), consequence, unexpected=unexpected)
    assert (required_rule(case) is not None) is required


def test_an_event_before_a_rule_change_follows_the_old_rule_and_one_after_the_new(world, reporter):
    change = date(2026, 7, 1)
    AlertRule.objects.update(valid_to=change - timedelta(days=1))
    new = AlertRule.objects.create(
        name="Ny regel",
        valid_from=change,
        consequences=["death"],
        recipients=["Statsforvalteren"],
        deadline_working_days=2,
        legal_reference="Ny lov § 1",
    )
    before = grade(file_case(reporter, world.municipality, occurred_at=_at(change - timedelta(days=1))))
    after = grade(file_case(reporter, world.municipality, occurred_at=_at(change)))

    assert required_rule(before).consequences == ["very_serious", "death"]
    assert required_rule(after) is None  # very serious harm no longer triggers the new rule
    assert required_rule(grade(after, "death")) == new


def test_no_rule_is_in_force_before_the_first_begins():
    assert rule_in_force(date(2019, 4, 30)) is None
    assert rule_in_force(date(2019, 5, 1)) is not None
