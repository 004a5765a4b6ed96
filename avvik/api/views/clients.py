"""The contact point's pages for API clients: list, register (the token is shown once), rotate, revoke.
The partnership's coordinators and partnership administrators manage its clients."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from avvik.access.guards import chosen_partnership, role_required
from avvik.access.roles import roles_of
from avvik.api import services
from avvik.api.forms import ApiClientForm
from avvik.api.models import ApiClient, ApiToken
from avvik.tenancy.models import Partnership, User


def _coordinator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # LoginRequiredMiddleware lets only signed-in people reach these pages
    return user


def _partnership(request: HttpRequest) -> Partnership:
    partnership = chosen_partnership(request, roles_of(request.user).runs_settings_of)
    assert partnership is not None  # role_required: the person coordinates at least one
    return partnership


def _list_url(client: ApiClient) -> str:
    return f"{reverse('api:clients')}?p={client.partnership.slug}"


@require_GET
@role_required(lambda r: r.runs_settings)
def client_list(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    clients = (
        ApiClient.objects.visible_to(request.user)
        .filter(partnership=partnership)
        .select_related("organisation", "created_by")
        .prefetch_related("tokens")
        .order_by("revoked_at", "organisation__name", "name")
    )
    others = Partnership.objects.filter(pk__in=roles_of(request.user).runs_settings_of).exclude(pk=partnership.pk)
    return render(
        request,
        "api/client_list.html",
        {"partnership": partnership, "clients": clients, "other_partnerships": others, "now": timezone.now()},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(lambda r: r.runs_settings)
def client_create(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    form = ApiClientForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, token = services.api_client_create(
                by=_coordinator(request),
                organisation=data["organisation"],
                name=data["name"],
                scopes=data["scopes"],
                valid_days=data["valid_days"],
            )
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(request, "api/token_issued.html", {"client": client, "token": token}, status=201)
    if request.method == "POST":
        messages.error(request, _("Nothing was saved; see the fields marked below."))
    return render(
        request,
        "api/client_form.html",
        {"form": form, "partnership": partnership},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_POST
@role_required(lambda r: r.runs_settings)
def token_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(ApiClient.objects.visible_to(request.user), pk=pk)
    try:
        _row, token = services.api_token_rotate(client=client, by=_coordinator(request))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(_list_url(client))
    return render(request, "api/token_issued.html", {"client": client, "token": token, "rotated": True}, status=201)


@require_POST
@role_required(lambda r: r.runs_settings)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.user).select_related("client"), pk=pk)
    services.api_token_revoke(token=token, by=_coordinator(request))
    messages.success(request, _("The token {prefix}… is revoked.").format(prefix=token.prefix))
    return redirect(_list_url(token.client))


@require_POST
@role_required(lambda r: r.runs_settings)
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(ApiClient.objects.visible_to(request.user), pk=pk)
    services.api_client_revoke(client=client, by=_coordinator(request))
    messages.success(request, _("{name} is revoked: none of its tokens works any more.").format(name=client.name))
    return redirect(_list_url(client))
