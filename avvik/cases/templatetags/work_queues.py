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


def _link(item: QueueCount) -> QueueLink:
    if item.capped:
        spoken = _("more than {n} cases").format(n=COUNT_CAP - 1)
    else:
        spoken = ngettext("{n} case", "{n} cases", item.count).format(n=item.count)
    return QueueLink(
        name=item.queue.name,
        label=str(item.queue.label),
        url=reverse(f"cases:{item.queue.name}"),
        shown=item.shown,
        spoken=spoken,
        urgent=item.count > 0 and item.queue.name in ("overdue", "handling_overdue"),
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
