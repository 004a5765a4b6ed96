"""Shared steps of the duties tests."""

from datetime import date

from avvik.cases.models.deviation import Deviation
from avvik.duties.models import AlertRule

# Written to the row directly: the scale's values are data to the rules, and a test of the rules
# must not depend on which grades the filing form offers.
VERY_SERIOUS = "very_serious"


def grade(deviation: Deviation, consequence: str = VERY_SERIOUS, *, unexpected: bool | None = True) -> Deviation:
    Deviation.objects.filter(pk=deviation.pk).update(consequence=consequence, unexpected=unexpected)
    deviation.refresh_from_db()
    return deviation


def moderate_rule() -> AlertRule:
    """A later rule that requires an alert for moderate harm: for pages, which show the grade with
    a badge, while the very serious grade is not on the filing scale yet. "moderate" is on both
    the old and the new scale."""
    AlertRule.objects.update(valid_to=date(2020, 12, 31))
    return AlertRule.objects.create(
        name="Prøveregel",
        valid_from=date(2021, 1, 1),
        consequences=["moderate"],
        requires_unexpected=False,
        recipients=["Statens helsetilsyn", "Ukom"],
        legal_reference="Spesialisthelsetjenesteloven § 3-3 a",
    )


def law_rule() -> AlertRule:
    """The rule the duties migration seeds (the law as it stands), made again where a test's database
    was emptied between tests (browser tests flush it), so the page under test still has it."""
    rule, _created = AlertRule.objects.get_or_create(
        name="Varsel om alvorlige hendelser",
        defaults={
            "valid_from": date(2019, 5, 1),
            "consequences": [VERY_SERIOUS, "death"],
            "requires_unexpected": True,
            "recipients": ["Statens helsetilsyn", "Ukom"],
            "legal_reference": "Spesialisthelsetjenesteloven § 3-3 a og helse- og omsorgstjenesteloven § 12-3 a",
        },
    )
    return rule
