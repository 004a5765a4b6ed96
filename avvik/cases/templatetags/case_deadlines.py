"""Deadline wording for lists and the case page: "due in 3 working days", "overdue by 2"."""

from typing import TYPE_CHECKING, Any

from django import template
from django.template.context import Context
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.cases.choices import Status
from avvik.deadlines.due_dates import calendar_for
from avvik.deadlines.phrases import deadline_badge

if TYPE_CHECKING:
    from avvik.cases.models.deviation import Deviation

register = template.Library()

ANSWER_CLOCK = (Status.FORWARDED, Status.IN_PROGRESS)


@register.inclusion_tag("partials/deadline.html", takes_context=True)
def deadline(context: Context, deviation: "Deviation") -> dict[str, Any]:
    """The deadline that runs now, in working days, with a badge that never relies on colour alone."""
    if deviation.status == Status.SUBMITTED:
        due, what = deviation.triage_due, _("Intake and routing")
    elif deviation.status in ANSWER_CLOCK:
        due, what = deviation.answer_due, _("Answer")
    elif deviation.status == Status.WAITING:
        return {"text": _("Paused while waiting for the reporter"), "tone": "secondary", "due": None}
    else:
        return {"text": "", "tone": "", "due": None}
    if due is None:
        return {"text": "", "tone": "", "due": None}
    # Kept on the request: each list row is its own include, and closure days are read once.
    holder = context.get("request") or context.render_context
    calendars = getattr(holder, "_deadline_calendars", None)
    if calendars is None:
        calendars = {}
        holder._deadline_calendars = calendars  # type: ignore[union-attr]  # an attribute of our own
    if deviation.partnership_id not in calendars:
        calendars[deviation.partnership_id] = calendar_for(deviation.partnership_id)
    left = calendars[deviation.partnership_id].working_days_between(timezone.localdate(), due)
    tone = "danger" if left < 0 else "warning" if left <= 2 else "light"
    return {"text": deadline_badge(what, left), "tone": tone, "due": due}
