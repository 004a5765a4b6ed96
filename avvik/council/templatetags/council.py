"""Deadline shares for the statistics page; every count there comes already protected (avvik.disclosure)."""

from django import template

from avvik.council.suppression import SUPPRESSED, suppress

register = template.Library()


def _shown(value, council: bool):
    if value is None:
        return "–"
    if council and suppress(value) is None:
        return SUPPRESSED
    return value


@register.filter
def share_text(share, council: bool) -> str:
    """A deadline share as "87,5 % (35 of 40)", or "<5 saker" for the council when the total is small."""
    if share.total == 0:
        return "–"
    if council and not share.safe_for_council:
        return SUPPRESSED
    percent = f"{share.percent:.1f}".replace(".", ",")
    return f"{percent} % ({_shown(share.on_time, council)}/{share.total})"
