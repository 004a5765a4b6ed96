"""The people import's pages: upload, dry run, confirm or discard, and the progress of an import."""

import uuid
from typing import TYPE_CHECKING

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from avvik.access.guards import chosen_partnership, role_required
from avvik.access.roles import Roles, roles_of
from avvik.administration.imports import checking, services
from avvik.administration.imports.forms import PeopleUploadForm
from avvik.administration.models import HeldPeopleFile, PeopleImport, PeopleImportRowStatus, PeopleImportStatus
from avvik.administration.scope import administers
from avvik.tenancy.models import Organisation, Partnership

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest

# The dry run lists at most this many rows; the counts are always complete, errors come first.
MOST_ROWS_SHOWN = 1000


def _partnership_ids(roles: Roles) -> set[int]:
    """The partnerships in which the person administers people somewhere."""
    ids = set(roles.partnership_admin_of)
    ids.update(Organisation.objects.filter(pk__in=roles.admin_in).values_list("partnership_id", flat=True))
    return ids


def _held(request: "AuthenticatedHttpRequest", key: uuid.UUID) -> HeldPeopleFile:
    """The person's own held file; 404 for anyone else's."""
    return get_object_or_404(HeldPeopleFile.objects.owned_by(request.user.pk), key=key)


def _import(request: "AuthenticatedHttpRequest", pk: int) -> PeopleImport:
    """The person's own import; 404 for anyone else's."""
    return get_object_or_404(PeopleImport.objects.filter(owner_id=request.user.pk), pk=pk)


def _render_upload(
    request: "AuthenticatedHttpRequest", partnership: Partnership, form: PeopleUploadForm, status: int = 200
) -> HttpResponse:
    partnerships = Partnership.objects.filter(pk__in=_partnership_ids(roles_of(request.user))).order_by("name")
    return render(
        request,
        "administration/import_upload.html",
        {
            "partnership": partnership,
            "partnerships": partnerships if len(partnerships) > 1 else [],
            "form": form,
            "imports": PeopleImport.objects.filter(owner_id=request.user.pk, partnership=partnership)[:20],
        },
        status=status,
    )


def _chosen(request: "AuthenticatedHttpRequest") -> Partnership:
    partnership = chosen_partnership(request, _partnership_ids(roles_of(request.user)))
    assert partnership is not None  # role_required: the person administers somewhere
    return partnership


@require_GET
@role_required(administers)
def import_upload_page(request: "AuthenticatedHttpRequest") -> HttpResponse:
    return _render_upload(request, _chosen(request), PeopleUploadForm())


@require_POST
@role_required(administers)
def import_upload(request: "AuthenticatedHttpRequest") -> HttpResponse:
    partnership = _chosen(request)
    form = PeopleUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_upload(request, partnership, form, status=400)
    held = services.people_file_hold(
        owner=request.user, partnership=partnership, name=form.file_name, data=form.cleaned_data["file"]
    )
    return redirect("administration:import_preview", key=held.key)


@require_GET
@role_required(administers)
def import_preview(request: "AuthenticatedHttpRequest", key: uuid.UUID) -> HttpResponse:
    held = _held(request, key)
    dry_run = checking.people_dry_run(
        roles=roles_of(request.user), partnership=held.partnership, data=bytes(held.content)
    )
    # Errors first: they are what the person must fix.
    results = sorted(dry_run.results, key=lambda result: (result.outcome != checking.ERROR, result.line))
    return render(
        request,
        "administration/import_preview.html",
        {
            "held": held,
            "dry_run": dry_run,
            "results": results[:MOST_ROWS_SHOWN],
            "more": max(0, len(results) - MOST_ROWS_SHOWN),
            "ERROR": checking.ERROR,
            "NOTHING": checking.NOTHING,
        },
    )


@require_POST
@role_required(administers)
def import_confirm(request: "AuthenticatedHttpRequest", key: uuid.UUID) -> HttpResponse:
    held = _held(request, key)
    try:
        people_import = services.people_file_confirm(held=held, by=request.user)
    except services.ImportRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("administration:import_preview", key=key)
    return redirect("administration:import_detail", pk=people_import.pk)


@require_POST
@role_required(administers)
def import_discard(request: "AuthenticatedHttpRequest", key: uuid.UUID) -> HttpResponse:
    held = _held(request, key)
    partnership = held.partnership
    services.people_file_discard(held=held)
    messages.info(request, _("The file is discarded; nothing was imported."))
    return redirect(f"{reverse('administration:import_upload_page')}?p={partnership.slug}")


@require_GET
@role_required(administers)
def import_detail(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    people_import = _import(request, pk)
    counts = dict(people_import.rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    total = sum(counts.values())
    done = total - counts.get(PeopleImportRowStatus.PENDING, 0)
    context = {
        "people_import": people_import,
        "total": total,
        "done": done,
        "percent": round(100 * done / total) if total else 100,
        "counts": [(PeopleImportRowStatus(status), counts.get(status, 0)) for status in PeopleImportRowStatus.values],
        "finished": people_import.status == PeopleImportStatus.DONE,
    }
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": people_import.status,
                "done": done,
                "total": total,
                "percent": context["percent"],
                "text": render_to_string("administration/import_progress_text.html", context, request).strip(),
            }
        )
    if context["finished"]:
        context["rows"] = people_import.rows.exclude(status=PeopleImportRowStatus.INVITED).select_related(
            "organisation"
        )[:MOST_ROWS_SHOWN]
    return render(request, "administration/import_detail.html", context)
