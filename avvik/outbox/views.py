"""The coordinators' list of failed e-mail notifications."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from avvik.access.guards import role_required
from avvik.outbox import services
from avvik.outbox.selectors import failed_notifications_for


@require_GET
@role_required(lambda r: r.is_coordinator)
def failed_notifications(request: HttpRequest) -> HttpResponse:
    rows = failed_notifications_for(request.user)[:200]
    return render(request, "outbox/failed_notifications.html", {"notifications": rows})


@require_POST
@role_required(lambda r: r.is_coordinator)
def notification_resend(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(failed_notifications_for(request.user), pk=pk)
    services.notification_resend(notification=notification, by=request.user)
    messages.success(request, _("The notification is queued to be sent again."))
    return redirect("outbox:failed_notifications")
