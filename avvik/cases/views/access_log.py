"""Who read what: each person's own log, and for organisation administrators their organisation's."""

import csv
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from avvik.access.roles import roles_of
from avvik.cases.selectors import access_log_visible_to

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


@require_GET
def my_access_log(request: "AuthenticatedHttpRequest") -> HttpResponse:
    entries = access_log_visible_to(request.user)
    is_admin = bool(roles_of(request.user).admin_in)
    if request.GET.get("format") == "csv" and is_admin:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="tilgangslogg-{timezone.localdate()}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow([_("When"), _("Person"), _("Organisation"), _("What"), _("Reference"), _("Detail")])
        for entry in entries.iterator(chunk_size=2000):
            writer.writerow(
                [
                    timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.user.email,
                    entry.organisation.name if entry.organisation else "",
                    entry.get_kind_display(),
                    entry.deviation.reference if entry.deviation else "",
                    entry.detail,
                ]
            )
        return response
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "cases/my_access_log.html", {"page": page, "is_admin": is_admin})
