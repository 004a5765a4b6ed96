"""What the case views share: fetching a case the person may read."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from avvik.cases.models import Deviation


def deviation_for_user(request: HttpRequest, reference: str) -> Deviation:
    """The case if the person may read it; 404 otherwise, so nothing leaks about its existence."""
    queryset = Deviation.objects.visible_to(request.user).select_related(
        "partnership",
        "reporter",
        "reporting_organisation",
        "reporting_unit",
        "counterpart",
        "counterpart_unit",
        "responsible_organisation",
        "assignee",
        "category",
        "clause",
        "alert_sent_by",
        "answered_by",
    )
    return get_object_or_404(queryset, reference=reference)
