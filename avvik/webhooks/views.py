"""An organisation administrator's page for the organisation's webhooks and their deliveries."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from avvik.access.guards import role_required
from avvik.access.roles import Roles, roles_of
from avvik.tenancy.models import Organisation
from avvik.webhooks import services
from avvik.webhooks.forms import EndpointForm
from avvik.webhooks.models import Delivery, Endpoint

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest

DELIVERIES_SHOWN = 30


def _administers(roles: Roles) -> bool:
    return bool(roles.admin_in)


@never_cache  # the page that shows a new secret once must not be kept anywhere
@role_required(_administers)
def webhooks(request: "AuthenticatedHttpRequest") -> HttpResponse:
    admin_in = roles_of(request.user).admin_in
    organisations = list(Organisation.objects.filter(pk__in=admin_in).order_by("name"))
    choices = [(o.pk, o.name) for o in organisations]
    secret = ""
    status = 200
    if request.method == "POST":
        form = EndpointForm(request.POST, organisations=choices)
        if form.is_valid():
            organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
            _endpoint, secret = services.endpoint_create(
                by=request.user, organisation=organisation, name=form.cleaned_data["name"], url=form.cleaned_data["url"]
            )
            form = EndpointForm(organisations=choices)
        else:
            status = 400
    else:
        form = EndpointForm(organisations=choices)
    endpoints = Endpoint.objects.filter(organisation_id__in=admin_in).select_related("organisation")
    deliveries = Delivery.objects.filter(endpoint__organisation_id__in=admin_in).select_related("endpoint")
    return render(
        request,
        "webhooks/webhooks.html",
        {
            "form": form,
            "secret": secret,
            "endpoints": endpoints,
            "deliveries": deliveries[:DELIVERIES_SHOWN],
        },
        status=status,
    )


@require_POST
@role_required(_administers)
def switch_off(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk, organisation_id__in=roles_of(request.user).admin_in)
    services.endpoint_switch_off(by=request.user, endpoint=endpoint)
    messages.success(request, _("The webhook {name} is switched off.").format(name=endpoint.name))
    return redirect("webhooks:webhooks")
