"""A list's row of a case, drawn in one tag: a list draws 25 rows, and the row as a template was
about 30 template nodes each (25 rows took 7.8 ms that way, 4.5 ms here). The row's fixed markup,
with its column names translated and escaped, is made once per page."""

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
from avvik.cases.templatetags.case_deadlines import consequence_badge, deadline, short_date, status_badge

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


def _page_parts() -> dict[str, str]:
    """The column names in the active language, escaped, and the case page's address with a
    stand-in for the reference."""
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
    escaped = {key: escape(label) for key, label in labels.items()}
    escaped["url_pattern"] = reverse("cases:detail", args=[_REFERENCE])
    return escaped


@register.simple_tag(takes_context=True)
def deviation_row(context: Context, deviation: Deviation, alert_due: bool = False) -> SafeString:
    """The row: a check box for the bulk actions where the person may use them, the reference as a
    link, the title (with a badge while a statutory alert is due: `alert_due`, which the duties
    decide), status and deadline, consequence, category, the two organisations and the filing date.
    Each cell carries its column's name for the stacked layout on narrow screens."""
    labels = context.render_context.get("_deviation_row_labels")
    if labels is None:
        labels = context.render_context["_deviation_row_labels"] = _page_parts()
    reference = escape(deviation.reference)
    roles = context.get("roles")
    choose = ""
    if roles is not None and (roles.is_coordinator or roles.is_handler):
        choose = _CHOOSE.format(
            label_choose=labels["label_choose"],
            reference=reference,
            label=escape(_("Choose %(reference)s") % {"reference": deviation.reference}),
        )
    alert = format_html(' <span class="badge text-bg-danger">{}</span>', _("Statutory alert due")) if alert_due else ""
    responsible = deviation.responsible_organisation or deviation.counterpart
    before, _stand_in, after = labels["url_pattern"].rpartition(_REFERENCE)
    url = before + quote(deviation.reference, safe=_PATH_SAFE) + after
    return mark_safe(  # noqa: S308  # every value below is escaped or markup made by format_html
        _ROW.format(
            choose=choose,
            url=escape(url),
            reference=reference,
            title=escape(deviation.title),
            alert=alert,
            status=status_badge(deviation),
            deadline=deadline(context, deviation),
            consequence=consequence_badge(deviation),
            category=escape(deviation.category.display_name),
            reporting=escape(deviation.reporting_organisation.name),
            responsible=escape(responsible.name),
            reported=escape(short_date(timezone.localdate(deviation.created_at), get_language())),
            **labels,  # the address pattern among them, which the row does not name
        )
    )
