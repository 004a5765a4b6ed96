"""The contact point's pages for the register copy: upload, dry run, confirm, history."""

import uuid
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from avvik.access.guards import chosen_partnership, role_required
from avvik.access.roles import roles_of
from avvik.register import selectors, services
from avvik.register.choices import CHANGE_COLOURS, ChangeKind
from avvik.register.forms import RegisterUploadForm
from avvik.register.models import HeldRegisterFile
from avvik.tenancy.models import Partnership

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest

# The dry run lists at most this many rows that change; the counts are always complete.
MOST_ROWS_SHOWN = 1000


def _partnership(request: "AuthenticatedHttpRequest") -> Partnership:
    partnership = chosen_partnership(request, roles_of(request.user).runs_settings_of)
    assert partnership is not None  # role_required: the person coordinates at least one
    return partnership


def _held(request: "AuthenticatedHttpRequest", key: uuid.UUID) -> HeldRegisterFile:
    """The person's own held file, of a partnership they coordinate; 404 for anyone else's."""
    return get_object_or_404(
        HeldRegisterFile.objects.owned_by(request.user.pk).filter(
            partnership_id__in=roles_of(request.user).runs_settings_of
        ),
        key=key,
    )


def _home(partnership: Partnership) -> str:
    return f"{reverse('register:home')}?p={partnership.slug}"


def _render_home(
    request: "AuthenticatedHttpRequest", partnership: Partnership, form: RegisterUploadForm, status: int = 200
) -> HttpResponse:
    coordinates = Partnership.objects.filter(pk__in=roles_of(request.user).runs_settings_of).order_by("name")
    return render(
        request,
        "register/home.html",
        {
            "partnership": partnership,
            "partnerships": coordinates if len(coordinates) > 1 else [],
            "form": form,
            "runs": selectors.import_runs(partnership)[:50],
            "differences": selectors.name_differences(partnership),
        },
        status=status,
    )


@require_GET
@role_required(lambda r: r.runs_settings)
def register_home(request: "AuthenticatedHttpRequest") -> HttpResponse:
    return _render_home(request, _partnership(request), RegisterUploadForm())


@require_POST
@role_required(lambda r: r.runs_settings)
def register_upload(request: "AuthenticatedHttpRequest") -> HttpResponse:
    partnership = _partnership(request)
    form = RegisterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_home(request, partnership, form, status=400)
    held = services.register_file_hold(
        owner=request.user, partnership=partnership, name=form.file_name, data=form.cleaned_data["file"]
    )
    return redirect("register:preview", key=held.key)


@require_GET
@role_required(lambda r: r.runs_settings)
def register_preview(request: "AuthenticatedHttpRequest", key: uuid.UUID) -> HttpResponse:
    held = _held(request, key)
    result = services.register_import(
        partnership=held.partnership, data=bytes(held.content), source=held.name, by=request.user, dry_run=True
    )
    shown = [o for o in result.outcomes if o.kind != ChangeKind.UNCHANGED]
    return render(
        request,
        "register/preview.html",
        {
            "held": held,
            "partnership": held.partnership,
            "result": result,
            "counts": [(ChangeKind(kind), count, CHANGE_COLOURS[kind]) for kind, count in result.counts.items()],
            "outcomes": shown[:MOST_ROWS_SHOWN],
            "more": max(0, len(shown) - MOST_ROWS_SHOWN),
        },
    )


@require_POST
@role_required(lambda r: r.runs_settings)
def register_confirm(request: "AuthenticatedHttpRequest", key: uuid.UUID) -> HttpResponse:
    held = _held(request, key)
    result = services.register_file_confirm(held=held, by=request.user)
    if result.run is None:
        messages.error(
            request, _("The file has errors and nothing was imported. Correct the file and upload it again.")
        )
        return redirect("register:preview", key=key)
    run = result.run
    messages.success(
        request,
        _(
            "The register is imported: {new} new, {renamed} renamed, {changed} changed, {removed} removed, "
            "{unchanged} unchanged."
        ).format(new=run.new, renamed=run.renamed, changed=run.changed, removed=run.removed, unchanged=run.unchanged),
    )
    return redirect(_home(held.partnership))


@require_POST
@role_required(lambda r: r.runs_settings)
def register_discard(request: "AuthenticatedHttpRequest", key: uuid.UUID) -> HttpResponse:
    held = _held(request, key)
    partnership = held.partnership
    services.register_file_discard(held=held)
    messages.info(request, _("The file is discarded; nothing was imported."))
    return redirect(_home(partnership))
