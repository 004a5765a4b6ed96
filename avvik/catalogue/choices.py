"""The scale a case is graded on: its consequence, actual and potential, with a colour beside each grade
for badges, and who a clause of the guideline binds."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Consequence(models.TextChoices):
    """Graded as practitioners grade harm, from none to death; the labels have their own context because
    "None" and "Minor" mean other things elsewhere."""

    NONE = "none", pgettext_lazy("consequence", "None")
    MINOR = "minor", pgettext_lazy("consequence", "Minor")
    MODERATE = "moderate", pgettext_lazy("consequence", "Moderate")
    SIGNIFICANT = "significant", pgettext_lazy("consequence", "Significant")
    VERY_SERIOUS = "very_serious", pgettext_lazy("consequence", "Very serious")
    DEATH = "death", pgettext_lazy("consequence", "Death")


CONSEQUENCE_COLOURS = {
    Consequence.NONE: "light",
    Consequence.MINOR: "info",
    Consequence.MODERATE: "warning",
    Consequence.SIGNIFICANT: "danger",
    Consequence.VERY_SERIOUS: "danger",
    Consequence.DEATH: "dark",
}


# The grades at which the reporter is asked whether the event was unexpected (the statutory alert's
# threshold is very serious harm or death).
SERIOUS_CONSEQUENCES = (Consequence.VERY_SERIOUS, Consequence.DEATH)


# The values of the earlier five-grade scale and the grade each became. Frozen council figures are
# archived unchanged, so they are read through this.
LEGACY_CONSEQUENCES = {"serious": Consequence.SIGNIFICANT.value, "critical": Consequence.VERY_SERIOUS.value}


def current_consequence(value: str) -> str:
    """The value on today's scale of a consequence stored on the earlier one."""
    return LEGACY_CONSEQUENCES.get(value, value)


def consequence_rank(value: str) -> int:
    """The place of a grade on the scale, none first (a value of the earlier scale as its successor)."""
    return Consequence.values.index(current_consequence(value))


class ResponsibleKind(models.TextChoices):
    """Whom a clause of the guideline binds: 6.2 the hospital trust, 6.3 the municipality, 6.1 both."""

    HOSPITAL_TRUST = "hospital_trust", _("The hospital trust")
    MUNICIPALITY = "municipality", _("The municipality")
    EITHER = "either", _("Both parties")
