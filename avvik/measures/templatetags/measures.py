"""What the case page and the close confirmation show of a case's measures, without the case views
knowing of measures."""

from typing import Any

from django import template

from avvik.cases.models.deviation import Deviation
from avvik.measures import permissions
from avvik.measures.forms import MeasureForm
from avvik.measures.models import Measure
from avvik.measures.selectors import case_measures

register = template.Library()


@register.simple_tag(takes_context=True)
def measures_of(context: dict[str, Any], deviation: Deviation) -> dict[str, Any]:
    """The case's measures the person may read, which of them they may follow up, and the add form."""
    user = context["request"].user
    measures = case_measures(user, deviation)
    may_add = permissions.may_add(user, deviation)
    return {
        "measures": [(measure, permissions.may_follow_up(user, measure)) for measure in measures],
        "may_add": may_add,
        "form": MeasureForm(deviation=deviation) if may_add else None,
    }


@register.simple_tag(takes_context=True)
def open_measures_of(context: dict[str, Any], deviation: Deviation) -> list[Measure]:
    """The case's measures not yet carried out (nor dropped), for the close confirmation."""
    return case_measures(context["request"].user, deviation, open_only=True)
