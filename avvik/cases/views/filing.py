"""Filing a case and correcting it."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from avvik.access.guards import chosen_partnership
from avvik.access.roles import roles_of
from avvik.cases import permissions, services
from avvik.cases.forms.filing import DeviationEditForm, DeviationForm
from avvik.cases.forms.held import HeldUploadsMixin
from avvik.cases.views.common import deviation_for_user
from avvik.tenancy.models import Organisation, Partnership

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


def _filing_not_allowed(request: "AuthenticatedHttpRequest") -> HttpResponse:
    """403, saying why the person cannot file and where their own work is."""
    return render(request, "cases/filing_not_allowed.html", {"roles": roles_of(request.user)}, status=403)


def _keep_files(request: "AuthenticatedHttpRequest", form: HeldUploadsMixin) -> None:
    """The form came back: hold the files that passed the checks, so they need not be chosen again."""
    form.held_files += services.uploads_hold(owner=request.user, uploads=form.uploads_to_hold)


@require_http_methods(["GET", "POST"])
def deviation_new(request: "AuthenticatedHttpRequest") -> HttpResponse:
    if not roles_of(request.user).is_reporter:
        return _filing_not_allowed(request)
    reporting_in = Organisation.objects.filter(pk__in=roles_of(request.user).reporter_in)
    partnerships = Partnership.objects.filter(organisations__in=reporting_in).distinct().order_by("name")
    partnership = chosen_partnership(request, partnerships.values_list("pk", flat=True))
    form = DeviationForm(request.POST or None, request.FILES or None, user=request.user, partnership=partnership)
    if request.method == "POST":
        services.held_uploads_discard(owner=request.user, keys=form.removed_held_keys)
        if form.is_valid():
            data = form.cleaned_data
            deviation = services.deviation_submit(
                by=request.user,
                organisation=data["reporting_organisation"],
                data=data,
                patient=services.PatientData(data["patient_name"], data["patient_identity_number"]),
                files=data["attachments"],
                held=form.held_keys,
            )
            messages.success(
                request,
                _("Thank you. Deviation {reference} is reported and goes to the contact point.").format(
                    reference=deviation.reference
                ),
            )
            for warning in form.her_id_warnings:
                messages.warning(request, warning)
            return redirect("cases:detail", reference=deviation.reference)
        _keep_files(request, form)
    return render(
        request,
        "cases/deviation_form.html",
        {
            "form": form,
            "message_categories": form.message_category_ids,
            "her_ids": form.her_id_options,
            "partnership": partnership,
            "partnerships": partnerships if len(partnerships) > 1 else [],
        },
    )


@require_http_methods(["GET", "POST"])
def deviation_edit(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    if not permissions.may_edit(request.user, deviation):
        raise PermissionDenied
    form = DeviationEditForm(request.POST or None, request.FILES or None, instance=deviation, user=request.user)
    if request.method == "POST":
        services.held_uploads_discard(owner=request.user, keys=form.removed_held_keys)
        if form.is_valid():
            try:
                services.deviation_update(
                    deviation=deviation,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    changes=form.cleaned_data,
                    files=form.cleaned_data["attachments"],
                    held=form.held_keys,
                )
            except services.StaleVersion:
                messages.error(request, services.StaleVersion.message)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("cases:detail", reference=deviation.reference)
        _keep_files(request, form)
    return render(request, "cases/deviation_edit.html", {"form": form, "deviation": deviation})
