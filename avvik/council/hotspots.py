"""The report's hotspot chapters: where deviations about electronic messages gather (message type,
AppRec error code, sender and receiver, unit), and the message traffic systems reported.

Counted from the cases filed in the period (and the messages sent in it), partnership-wide, each
chapter protected on its own like the follow-up chapters (presentation.protected_chapter)."""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, time

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.cases.choices import MessageType
from avvik.council.counting import Statistics, summed_items
from avvik.council.presentation import Chapter, protected_chapter
from avvik.tenancy.models import Unit
from avvik.traffic.models import Message
from avvik.traffic.selectors import her_names

# The largest groups are named; the rest are one line, so a long tail of small groups is not
# hidden line by line.
TOP = 8


def _bounds(stats: Statistics) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(stats.period.start, time.min, tzinfo=zone),
        datetime.combine(stats.period.end, time.max, tzinfo=zone),
    )


def _top(counts: Iterable[tuple[str, int]], other: str) -> dict[str, int]:
    ranked: Counter[str] = Counter()
    for label, count in counts:
        ranked[label] += count
    ordered = ranked.most_common()
    parts = dict(ordered[:TOP])
    rest = sum(count for _label, count in ordered[TOP:])
    if rest:
        parts[other] = rest
    return parts


def _items(stats: Statistics, measure: str) -> list[tuple[str, int]]:
    """(item, cases) of one measure over the period: from the sums the statistics were made of, or
    summed again when they were not (figures frozen at publication, counted live)."""
    if stats.monthly_items is not None:
        return list(stats.monthly_items.get(measure, {}).items())
    return summed_items(stats.partnership, stats.period, measure)


def hotspot_chapters(stats: Statistics, *, threshold: int, exact: bool) -> list[Chapter]:
    """None for one organisation's figures, which these partnership-wide counts would not match."""
    if stats.organisation is not None or stats.partnership.pk is None:
        return []
    partnership_id = stats.partnership.pk
    since, until = _bounds(stats)
    names = her_names(partnership_id)

    def chapter(key: str, title: str, counts: dict[str, int], total_label: str) -> Chapter:
        return protected_chapter(
            key, title, counts, threshold=threshold, exact=exact, total_label=total_label, counted=_("Cases")
        )

    # From the monthly counts, which leave out merged duplicates as every other figure does.
    by_type = _items(stats, "message_type")
    by_code = _items(stats, "error_code")
    pairs: list[tuple[str, str, int]] = []
    for item, n in _items(stats, "her_pair"):
        sender, receiver = item.split(">", 1)
        pairs.append((sender, receiver, n))
    by_unit = _items(stats, "unit")
    unit_names = {
        str(pk): (organisation, unit)
        for pk, organisation, unit in Unit.objects.filter(pk__in=[int(pk) for pk, _n in by_unit]).values_list(
            "pk", "organisation__name", "name"
        )
    }
    units = [(*unit_names[pk], n) for pk, n in by_unit]
    chapters = [
        chapter(
            "hotspot_message_type",
            _("Deviations by message type"),
            _top(((str(MessageType(value).label), n) for value, n in by_type), _("Other message types")),
            _("Deviations about an electronic message"),
        ),
        chapter(
            "hotspot_apprec_error",
            _("Deviations by error code in the application receipt"),
            _top(by_code, _("Other error codes")),
            _("Deviations with an error code"),
        ),
        chapter(
            "hotspot_pair",
            _("Deviations by sender and receiver"),
            _top(
                (
                    (f"{names.get(sender, sender)} → {names.get(receiver, receiver)}", n)
                    for sender, receiver, n in pairs
                ),
                _("Other senders and receivers"),
            ),
            _("Deviations naming both HER-ids"),
        ),
        chapter(
            "hotspot_unit",
            _("Deviations by reporting unit"),
            _top(((f"{organisation}, {unit}", n) for organisation, unit, n in units), _("Other units")),
            _("Deviations naming the reporting unit"),
        ),
    ]
    chapters.append(_traffic_chapter(partnership_id, since, until, threshold=threshold, exact=exact))
    return chapters


def _pair_name(names: dict[str, str], sender: str, receiver: str) -> str:
    return f"{names.get(sender, sender)} → {names.get(receiver, receiver)}"


def _traffic_chapter(partnership_id: int, since: datetime, until: datetime, *, threshold: int, exact: bool) -> Chapter:
    """The messages systems reported sent in the period: with a receipt, failed, still without one."""
    counted = Message.objects.filter(partnership_id=partnership_id, sent_at__range=(since, until)).aggregate(
        failed=Count("pk", filter=Q(failed_at__isnull=False)),
        received=Count("pk", filter=Q(failed_at__isnull=True, receipt_at__isnull=False)),
        waiting=Count("pk", filter=Q(failed_at__isnull=True, receipt_at__isnull=True)),
    )
    return protected_chapter(
        "traffic",
        _("Electronic messages reported by the parties' systems"),
        {
            _("Received, with an application receipt"): counted["received"],
            _("Failed (negative receipt, or none in time)"): counted["failed"],
            _("Still waiting for a receipt"): counted["waiting"],
        },
        threshold=threshold,
        exact=exact,
        total_label=_("Messages sent in the period"),
        counted=_("Messages"),
    )
