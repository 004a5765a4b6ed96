"""A list's row of a case, drawn in one tag: a list draws 25 rows, and the row as a template was
about 30 template nodes each (25 rows took 7.8 ms that way, 4.5 ms here). What every row shares
(the column names translated and escaped, the case page's address, the language, the day) is made
once per page: 25 rows took 1.2 ms when each row made it, 0.5 ms since."""

from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import quote

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from avvik.cases.models.deviation import Deviation
from avvik.cases.templatetags.case_deadlines import (
    consequence_markup,
    deadline_markup,
    request_calendars,
    short_date,
    status_markup,
)
from avvik.deadlines.workdays import Calendar

register = template.Library()

# The cells of a row; {choose} is the first cell where the person may choose rows for the bulk actions.
_ROW = (
    "<tr>{choose}"
    '<td class="text-nowrap" data-label="{label_reference}"><a href="{url}">{reference}</a></td>'
    '<td data-label="{label_title}">{title}{alert}</td>'
    '<td data-label="{label_status}">{status} {deadline}</td>'
    '<td data-label="{label_consequence}">{consequence}</td>'
    '<td data-label="{label_category}">{category}</td>'
    '<td data-label="{label_parties}">{reporting} → {responsible}</td>'
    '<td class="text-nowrap" data-label="{label_reported}">{reported}</td>'
    "</tr>"
)
_CHOOSE = (
    '<td data-label="{label_choose}"><input class="form-check-input" type="checkbox" name="references"'
    ' value="{reference}" form="bulk-form" id="choose-{reference}" data-row-select>'
    '<label class="visually-hidden" for="choose-{reference}">{label}</label></td>'
)


# Stands for the reference in the case page's address, reversed once per page (as `reverse` quotes
# a path: the reference with the characters a path keeps as they are).
_REFERENCE = "REFERENCE"
_PATH_SAFE = "!$&'()*+,;=/~:@"


@dataclass(frozen=True)
class _PageParts:
    """What every row of one page shares: made with the first row."""

    labels: dict[str, str]  # the column names in the active language, escaped
    url_before: str  # the case page's address around its reference
    url_after: str
    language: str | None
    today: date
    choose: bool  # the person may choose rows for the bulk actions
    choose_label: str  # "Choose %(reference)s", translated
    calendars: dict[int, Calendar]


def _page_parts(context: Context) -> _PageParts:
    labels = {
        "label_choose": _("Choose"),
        "label_reference": _("Reference"),
        "label_title": _("Title"),
        "label_status": _("Status"),
        "label_consequence": _("Consequence"),
        "label_category": _("Category"),
        "label_parties": _("From → to"),
        "label_reported": _("Reported"),
    }
    before, _stand_in, after = reverse("cases:detail", args=[_REFERENCE]).rpartition(_REFERENCE)
    roles = context.get("roles")
    return _PageParts(
        labels={key: escape(label) for key, label in labels.items()},
        url_before=before,
        url_after=after,
        language=get_language(),
        today=timezone.localdate(),
        choose=roles is not None and (roles.is_coordinator or roles.is_handler),
        choose_label=_("Choose %(reference)s"),
        calendars=request_calendars(context),
    )


@register.simple_tag(takes_context=True)
def deviation_row(context: Context, deviation: Deviation, alert_due: bool = False) -> SafeString:
    """The row: a check box for the bulk actions where the person may use them, the reference as a
    link, the title (with a badge while a statutory alert is due: `alert_due`, which the duties
    decide), status and deadline, consequence, category, the two organisations and the filing date.
    Each cell carries its column's name for the stacked layout on narrow screens."""
    page = context.render_context.get("_deviation_row_page")
    if page is None:
        page = context.render_context["_deviation_row_page"] = _page_parts(context)
    reference = escape(deviation.reference)
    choose = ""
    if page.choose:
        choose = _CHOOSE.format(
            label_choose=page.labels["label_choose"],
            reference=reference,
            label=escape(page.choose_label % {"reference": deviation.reference}),
        )
    alert = format_html(' <span class="badge text-bg-danger">{}</span>', _("Statutory alert due")) if alert_due else ""
    responsible = deviation.responsible_organisation or deviation.counterpart
    url = page.url_before + quote(deviation.reference, safe=_PATH_SAFE) + page.url_after
    language = page.language
    return mark_safe(  # noqa: S308  # every value below is escaped or markup made by format_html
        _ROW.format(
            choose=choose,
            url=escape(url),
            reference=reference,
            title=escape(deviation.title),
            alert=alert,
            status=status_markup(deviation.status, language),
            deadline=deadline_markup(deviation, page.calendars, page.today, language),
            consequence=consequence_markup(deviation.consequence, language),
            category=escape(deviation.category.display_name),
            reporting=escape(deviation.reporting_organisation.name),
            responsible=escape(responsible.name),
            reported=escape(short_date(timezone.localdate(deviation.created_at), language)),
            **page.labels,
        )
    )
