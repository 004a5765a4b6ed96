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
from avvik.deadlines.workdays import Calendar

if TYPE_CHECKING:
    from avvik.cases.models.deviation import Deviation

register = template.Library()

ANSWER_CLOCK = (Status.FORWARDED, Status.IN_PROGRESS)


# A badge is the same markup for every case with the same value in the same language: made once
# per process for each, a list's 25 rows format none of them anew. `language` is the active one,
# passed so that it is part of the key.
@lru_cache(maxsize=128)
def status_markup(status: str, language: str | None) -> SafeString:
    return format_html('<span class="badge text-bg-{} border">{}</span>', STATUS_COLOURS[status], Status(status).label)


@lru_cache(maxsize=128)
def consequence_markup(consequence: str, language: str | None) -> SafeString:
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
    for kept in (status_markup, consequence_markup, short_date, _deadline_markup, _paused_markup):
        kept.cache_clear()


@register.simple_tag
def status_badge(deviation: "Deviation") -> SafeString:
    """The case's status as a badge (the markup of partials/status_badge.html)."""
    return status_markup(deviation.status, get_language())


@register.simple_tag
def consequence_badge(deviation: "Deviation") -> SafeString:
    """The case's consequence as a badge (the markup of partials/consequence_badge.html)."""
    return consequence_markup(deviation.consequence, get_language())


@lru_cache(maxsize=1024)
def _deadline_markup(status: str, due: date, left: int, language: str | None) -> SafeString:
    """The badge of a running deadline: the same for every case with the same status, due day and
    working days left, in the same language."""
    what = _("Intake and routing") if status == Status.SUBMITTED else _("Answer")
    tone = "danger" if left < 0 else "warning" if left <= 2 else "light"
    return format_html(
        '<span class="badge text-bg-{} border" title="{}">{}</span>',
        tone,
        short_date(due, language),
        deadline_badge(what, left),
    )


@lru_cache(maxsize=8)
def _paused_markup(language: str | None) -> SafeString:
    return format_html(
        '<span class="badge text-bg-secondary border">{}</span>', _("Paused while waiting for the reporter")
    )


def deadline_markup(
    deviation: "Deviation", calendars: dict[int, Calendar], today: date, language: str | None
) -> SafeString:
    """The deadline badge of `deadline`, for a caller that knows the day, the language and a place
    to keep each partnership's calendar (a list's rows)."""
    if deviation.status == Status.WAITING:
        return _paused_markup(language)
    if deviation.status == Status.SUBMITTED:
        due = deviation.triage_due
    elif deviation.status in ANSWER_CLOCK:
        due = deviation.answer_due
    else:
        return SafeString("")
    if due is None:
        return SafeString("")
    calendar = calendars.get(deviation.partnership_id)
    if calendar is None:
        calendar = calendars[deviation.partnership_id] = calendar_for(deviation.partnership_id)
    return _deadline_markup(deviation.status, due, calendar.working_days_between(today, due), language)


def request_calendars(context: Context) -> dict[int, Calendar]:
    """The partnerships' calendars kept on the request (or the render), so that closure days are read
    once however many rows ask."""
    holder = context.get("request") or context.render_context
    calendars = getattr(holder, "_deadline_calendars", None)
    if calendars is None:
        calendars = {}
        holder._deadline_calendars = calendars  # type: ignore[union-attr]  # an attribute of our own
    return calendars


@register.simple_tag(takes_context=True)
def deadline(context: Context, deviation: "Deviation") -> SafeString:
    """The deadline that runs now, in working days, with a badge that never relies on colour alone."""
    return deadline_markup(deviation, request_calendars(context), timezone.localdate(), get_language())
