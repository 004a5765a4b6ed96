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
