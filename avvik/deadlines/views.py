"""The coordinators' page for deadline policies and closure days."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from avvik.access.guards import chosen_partnership, role_required
from avvik.access.roles import roles_of
from avvik.access.scoping import partnerships_visible_to
from avvik.deadlines import services
from avvik.deadlines.forms import ClosureDayForm, DeadlinePolicyForm
from avvik.deadlines.models import ClosureDay, DeadlinePolicy


@require_http_methods(["GET", "POST"])
@role_required(lambda r: r.runs_settings)
def deadlines(request: HttpRequest) -> HttpResponse:
    partnership = chosen_partnership(request, roles_of(request.user).runs_settings_of)
    policy_form = DeadlinePolicyForm(
        request.POST if request.POST.get("form") == "policy" else None, partnership=partnership
    )
    closure_form = ClosureDayForm(request.POST if request.POST.get("form") == "closure" else None)
    if request.method == "POST":
        if policy_form.is_bound and policy_form.is_valid():
            services.deadline_policy_set(by=request.user, partnership=partnership, **policy_form.cleaned_data)
            messages.success(request, _("The deadline is saved. It applies to deadlines set from now on."))
            return redirect(f"{reverse('deadlines:deadlines')}?p={partnership.slug}")
        if closure_form.is_bound and closure_form.is_valid():
            services.closure_day_add(
                by=request.user,
                partnership=partnership,
                day=closure_form.cleaned_data["day"],
                name=closure_form.cleaned_data["name"],
            )
            messages.success(request, _("The closure day is saved."))
            return redirect(f"{reverse('deadlines:deadlines')}?p={partnership.slug}")
        messages.error(request, _("Nothing was saved; see the fields marked below."))
    context = {
        "partnership": partnership,
        "policies": partnership.deadline_policies.select_related("category"),
        "closures": partnership.closure_days.filter(date__gte=timezone.localdate()),
        "policy_form": policy_form,
        "closure_form": closure_form,
        "other_partnerships": partnerships_visible_to(request.user)
        .filter(pk__in=roles_of(request.user).runs_settings_of)
        .exclude(pk=partnership.pk),
    }
    return render(request, "deadlines/deadlines.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@role_required(lambda r: r.runs_settings)
def deadline_delete(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(DeadlinePolicy.objects.visible_to(request.user), pk=pk)
    services.deadline_policy_delete(by=request.user, policy=policy)
    messages.success(request, _("The deadline is removed."))
    return redirect(f"{reverse('deadlines:deadlines')}?p={policy.partnership.slug}")


@require_POST
@role_required(lambda r: r.runs_settings)
def closure_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_or_404(ClosureDay.objects.visible_to(request.user), pk=pk)
    services.closure_day_delete(by=request.user, closure=closure)
    messages.success(request, _("The closure day is removed."))
    return redirect(f"{reverse('deadlines:deadlines')}?p={closure.partnership.slug}")
