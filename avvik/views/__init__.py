"""Views: thin. They read through the scoped queryset and write through services."""

from avvik.views.access import my_access_log
from avvik.views.account import second_factor, second_factor_codes, second_factor_remove, second_factor_setup
from avvik.views.cases import (
    access_log,
    alert_record,
    attachment_create,
    attachment_download,
    comment_create,
    deviation_action,
    deviation_detail,
    deviation_edit,
    deviation_new,
    patient_reference,
)
from avvik.views.common import role_required
from avvik.views.configuration import (
    closure_day_delete,
    deadline_delete,
    deadlines,
    failed_notifications,
    language_set,
    notification_resend,
    preferences,
)
from avvik.views.council import council_summary, report, report_create, report_download, statistics, volumes
from avvik.views.lists import (
    AllDeviationsView,
    DeviationListView,
    HandlingView,
    MyDeviationsView,
    TriageView,
)
from avvik.views.pages import (
    accessibility,
    healthz,
    home,
    organisations,
)

__all__ = [
    "AllDeviationsView",
    "DeviationListView",
    "HandlingView",
    "MyDeviationsView",
    "TriageView",
    "access_log",
    "accessibility",
    "alert_record",
    "attachment_create",
    "attachment_download",
    "closure_day_delete",
    "comment_create",
    "council_summary",
    "deadline_delete",
    "deadlines",
    "deviation_action",
    "deviation_detail",
    "deviation_edit",
    "deviation_new",
    "failed_notifications",
    "healthz",
    "home",
    "language_set",
    "my_access_log",
    "notification_resend",
    "organisations",
    "patient_reference",
    "preferences",
    "report",
    "report_create",
    "report_download",
    "role_required",
    "second_factor",
    "second_factor_codes",
    "second_factor_remove",
    "second_factor_setup",
    "statistics",
    "volumes",
]
