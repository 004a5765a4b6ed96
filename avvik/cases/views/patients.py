"""The contact point finds a patient's cases and exports who opened them (the patient's right to know)."""

import itertools
from typing import TYPE_CHECKING

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from avvik.access.guards import role_required
from avvik.cases.forms.patients import PatientLookupForm
from avvik.cases.services.patients import patient_access_log, patient_cases
from avvik.core.exports import csv_response

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(lambda r: r.is_coordinator)
def patient_lookup(request: "AuthenticatedHttpRequest") -> HttpResponse | StreamingHttpResponse:
    """POST only carries the number: it never appears in an address, a proxy's log or the history."""
    form = PatientLookupForm(request.POST if request.method == "POST" else None)
    cases = None
    if form.is_valid():
        cases = patient_cases(by=request.user, identity_number=form.cleaned_data["patient_identity_number"])
        if request.POST.get("export") == "csv" and cases:
            entries = patient_access_log(by=request.user, cases=cases)
            header = [_("When"), _("Person"), _("E-mail"), _("Organisation"), _("What"), _("Reference")]
            rows = (
                [
                    timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.user.full_name,
                    entry.user.email,
                    entry.organisation.name if entry.organisation else "",
                    entry.get_kind_display(),
                    entry.deviation.reference if entry.deviation else "",
                ]
                for entry in entries.iterator(chunk_size=2000)
            )
            return csv_response(itertools.chain([header], rows), f"innsyn-tilgang-{timezone.localdate()}.csv")
    return render(request, "cases/patient_lookup.html", {"form": form, "cases": cases})
