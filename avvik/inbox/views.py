"""The notification centre: a person's own notices, opened and marked read by POST."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from avvik.inbox import services
from avvik.inbox.models import SiteNotice
from avvik.inbox.selectors import notice_lines, notice_target, notices_of

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest

PER_PAGE = 25


@require_GET
def notices(request: "AuthenticatedHttpRequest") -> HttpResponse:
    page = Paginator(notices_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inbox/notices.html",
        {
            "page_obj": page,
            "lines": notice_lines(request.user, page.object_list),
            "has_unread": notices_of(request.user).unread().exists(),
        },
    )


@require_POST
def notice_open(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    """Mark the notice read and go where it leads: the case or report if the person may still
    read it, else back to the list. Another person's notice is not found."""
    notice = _get_notice_for_user(request, pk)
    services.notice_mark_read(notice=notice)
    return redirect(notice_target(request.user, notice) or "inbox:notices")


@require_POST
def notices_read_all(request: "AuthenticatedHttpRequest") -> HttpResponse:
    if services.notices_mark_all_read(recipient=request.user):
        messages.success(request, _("All notifications are marked as read."))
    return redirect("inbox:notices")


def _get_notice_for_user(request: "AuthenticatedHttpRequest", pk: int) -> SiteNotice:
    return get_object_or_404(SiteNotice.objects.of(request.user), pk=pk)
