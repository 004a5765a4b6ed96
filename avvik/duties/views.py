"""The statutory duties on the case page: short POST views (fetch, one service call, redirect).
A form with errors is shown again on the case page with what the person wrote."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from avvik.cases.models import Deviation
from avvik.cases.views.common import deviation_for_user
from avvik.cases.views.detail import render_detail
from avvik.duties import services
from avvik.duties.forms import AlertForm, BreachDecisionForm, BreachForm
from avvik.duties.models import PrivacyBreach
from avvik.duties.permissions import is_duty_keeper, may_mark_breach
from avvik.duties.rules import required_rule

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


def _again(request: "AuthenticatedHttpRequest", deviation: Deviation, name: str, form: Form) -> HttpResponse:
    messages.error(request, _("Nothing was saved; see the fields marked below."))
    return render_detail(request, deviation, bound={name: form}, status=400)


@require_POST
def alert_record(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    rule = required_rule(deviation)
    if rule is None or not is_duty_keeper(request.user, deviation):
        raise PermissionDenied
    form = AlertForm(request.POST, recipients=rule.recipients)
    if form.is_valid():
        try:
            services.alert_record(deviation=deviation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _again(request, deviation, "duty_alert", form)
    messages.success(request, _("The statutory alert is recorded."))
    return redirect("cases:detail", reference=deviation.reference)


@require_POST
def breach_mark(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    if not may_mark_breach(request.user, deviation):
        raise PermissionDenied
    form = BreachForm(request.POST)
    if form.is_valid():
        try:
            services.breach_mark(deviation=deviation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _again(request, deviation, "duty_breach", form)
    messages.success(request, _("The deviation is marked as a personal-data breach. The 72 hours run."))
    return redirect("cases:detail", reference=deviation.reference)


@require_POST
def breach_decide(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    undecided = PrivacyBreach.objects.filter(deviation=deviation, decision="").exists()
    if not undecided or not is_duty_keeper(request.user, deviation):
        raise PermissionDenied
    form = BreachDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.breach_decide(deviation=deviation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _again(request, deviation, "duty_breach_decision", form)
    messages.success(request, _("The decision on the personal-data breach is recorded."))
    return redirect("cases:detail", reference=deviation.reference)
