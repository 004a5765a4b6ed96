"""The person's work queues with their counts, for the navigation and the list pages: counted once
per request, however often a page asks."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from avvik.cases.queues import COUNT_CAP, GROUP_LABELS, QueueCount, queue_counts

register = template.Library()

_CACHE_ATTR = "_work_queue_counts"
# Queues whose count calls for attention (a red badge, never the colour alone: the words say it too).
_URGENT = ("overdue", "handling_overdue")


@dataclass(frozen=True)
class QueueLink:
    """A queue as a link: label, address, the count as shown and as read aloud."""

    name: str
    label: str
    url: str
    shown: str
    spoken: str
    urgent: bool  # an overdue queue with cases in it


@dataclass(frozen=True)
class QueueGroup:
    label: str
    links: list[QueueLink]


def _spoken(item: QueueCount) -> str:
    """The count in words: "3 saker", or for a reporter "1 sak venter på svar fra deg"."""
    waiting = item.queue.counted is not None
    if item.capped:
        if waiting:
            return _("more than {n} cases waiting for your answer").format(n=COUNT_CAP - 1)
        return _("more than {n} cases").format(n=COUNT_CAP - 1)
    if waiting:
        words = ngettext("{n} case waiting for your answer", "{n} cases waiting for your answer", item.count)
    else:
        words = ngettext("{n} case", "{n} cases", item.count)
    return words.format(n=item.count)


def _link(item: QueueCount) -> QueueLink:
    spoken = _spoken(item)
    return QueueLink(
        name=item.queue.name,
        label=str(item.queue.label),
        url=reverse(f"cases:{item.queue.name}"),
        shown=item.shown,
        spoken=spoken,
        urgent=item.count > 0 and (item.queue.name in _URGENT or item.queue.counted is not None),
    )


@register.simple_tag(takes_context=True)
def work_queues(context: Context) -> list[QueueGroup]:
    """The person's queues in groups (contact point, organisation, own reports), each with its count."""
    request: Any = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if request is None or user is None or not getattr(user, "is_authenticated", False):
        return []
    groups: list[QueueGroup] | None = getattr(request, _CACHE_ATTR, None)
    if groups is None:
        by_group: dict[str, list[QueueLink]] = {}
        for item in queue_counts(user):
            by_group.setdefault(item.queue.group, []).append(_link(item))
        groups = [QueueGroup(str(GROUP_LABELS[group]), links) for group, links in by_group.items()]
        setattr(request, _CACHE_ATTR, groups)
    return groups
