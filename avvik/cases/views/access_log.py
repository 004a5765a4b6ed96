"""Who read what: each person's own log, and for organisation administrators their organisation's."""

import itertools
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from avvik.access.roles import roles_of
from avvik.cases.selectors import access_log_visible_to
from avvik.core.exports import csv_response

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


@require_GET
def my_access_log(request: "AuthenticatedHttpRequest") -> HttpResponse | StreamingHttpResponse:
    entries = access_log_visible_to(request.user)
    is_admin = bool(roles_of(request.user).admin_in)
    if request.GET.get("format") == "csv" and is_admin:
        header = [_("When"), _("Person"), _("Organisation"), _("What"), _("Reference"), _("Detail")]
        rows = (
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.user.email,
                entry.organisation.name if entry.organisation else "",
                entry.get_kind_display(),
                entry.deviation.reference if entry.deviation else "",
                entry.detail,
            ]
            for entry in entries.iterator(chunk_size=2000)
        )
        return csv_response(itertools.chain([header], rows), f"tilgangslogg-{timezone.localdate()}.csv")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "cases/my_access_log.html", {"page": page, "is_admin": is_admin})
