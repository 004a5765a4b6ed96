"""The failure cluster behind a system deviation, shown on the case page."""

from typing import Any

from django import template

from avvik.cases.models import Deviation
from avvik.traffic.models import Cluster

register = template.Library()

# The case page lists the first failures; the count says how many there are.
MESSAGES_SHOWN = 20


@register.inclusion_tag("traffic/cluster_panel.html")
def cluster_panel(deviation: Deviation) -> dict[str, Any]:
    cluster = Cluster.objects.filter(deviation=deviation).first()
    if cluster is None:
        return {"cluster": None}
    return {
        "cluster": cluster,
        "messages": list(cluster.messages.order_by("failed_at")[:MESSAGES_SHOWN]),
    }
