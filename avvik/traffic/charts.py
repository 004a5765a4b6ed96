"""The traffic page's charts, drawn with the council's SVG charts: the same look as the statistics page."""

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from avvik.council.charts import bar_chart, line_chart
from avvik.traffic.selectors import Day, PairFigures

# Bars for at most this many pairs, the most failures first; the table beside lists them all.
MOST_PAIRS_DRAWN = 15


def failure_rate_chart(pairs: list[PairFigures]) -> SafeString:
    drawn = pairs[:MOST_PAIRS_DRAWN]
    return bar_chart(
        id="chart-failure-rate",
        title=_("Share of messages that failed, per pair of parties (per cent)"),
        labels=[f"{p.sender or p.sender_her_id} → {p.receiver or p.receiver_her_id}" for p in drawn],
        values=[round(100 * p.failure_rate) for p in drawn],
    )


def trend_chart(days: list[Day]) -> SafeString:
    return line_chart(
        id="chart-traffic-trend",
        title=_("Messages and failures per day"),
        labels=[date_format(day.day, "d.m.") for day in days],
        series={_("Messages"): [day.messages for day in days], _("Failed"): [day.failed for day in days]},
    )
