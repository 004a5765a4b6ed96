"""Deadline wording for lists and the case page: "due in 3 working days", "overdue by 2"; and the
status and consequence badges of a list's rows.

Each is a simple tag that returns its markup: a list draws 25 rows, and an include or an inclusion
tag per badge costs more than the rest of the row.
"""

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.context import Context
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from avvik.cases.choices import STATUS_COLOURS, Status
from avvik.catalogue.choices import CONSEQUENCE_COLOURS, Consequence
from avvik.deadlines.due_dates import calendar_for
from avvik.deadlines.phrases import deadline_badge

if TYPE_CHECKING:
    from avvik.cases.models.deviation import Deviation

register = template.Library()

ANSWER_CLOCK = (Status.FORWARDED, Status.IN_PROGRESS)


# A badge is the same markup for every case with the same value in the same language: made once
# per process for each, a list's 25 rows format none of them anew. `language` is the active one,
# passed so that it is part of the key.
@lru_cache(maxsize=128)
def _status_markup(status: str, language: str | None) -> SafeString:
    return format_html('<span class="badge text-bg-{} border">{}</span>', STATUS_COLOURS[status], Status(status).label)


@lru_cache(maxsize=128)
def _consequence_markup(consequence: str, language: str | None) -> SafeString:
    return format_html(
        '<span class="badge text-bg-{} border">{}</span>',
        CONSEQUENCE_COLOURS[consequence],  # type: ignore[index]  # the column holds Consequence values
        Consequence(consequence).label,
    )


@lru_cache(maxsize=4096)
def short_date(day: date, language: str | None) -> str:
    """A day in the language's short date format, as `formats.date_format` writes it; kept per
    process, since a list writes two dates a row and few distinct ones."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@receiver(setting_changed)
def _forget_markup(**kwargs: object) -> None:
    """Formats and labels follow the settings (tests change them): made anew after a change."""
    for kept in (_status_markup, _consequence_markup, short_date):
        kept.cache_clear()


@register.simple_tag
def status_badge(deviation: "Deviation") -> SafeString:
    """The case's status as a badge (the markup of partials/status_badge.html)."""
    return _status_markup(deviation.status, get_language())


@register.simple_tag
def consequence_badge(deviation: "Deviation") -> SafeString:
    """The case's consequence as a badge (the markup of partials/consequence_badge.html)."""
    return _consequence_markup(deviation.consequence, get_language())


@register.simple_tag(takes_context=True)
def deadline(context: Context, deviation: "Deviation") -> SafeString:
    """The deadline that runs now, in working days, with a badge that never relies on colour alone."""
    if deviation.status == Status.SUBMITTED:
        due, what = deviation.triage_due, _("Intake and routing")
    elif deviation.status in ANSWER_CLOCK:
        due, what = deviation.answer_due, _("Answer")
    elif deviation.status == Status.WAITING:
        return format_html(
            '<span class="badge text-bg-secondary border">{}</span>', _("Paused while waiting for the reporter")
        )
    else:
        return SafeString("")
    if due is None:
        return SafeString("")
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
    return format_html(
        '<span class="badge text-bg-{} border" title="{}">{}</span>',
        tone,
        short_date(due, get_language()),
        deadline_badge(what, left),
    )
