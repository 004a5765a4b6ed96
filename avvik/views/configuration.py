"""Coordinators' pages for deadlines and failed notifications, and a person's settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from avvik import services
from avvik.forms import (
    ClosureDayForm,
    DeadlinePolicyForm,
    PreferencesForm,
)
from avvik.models import ClosureDay, DeadlinePolicy
from avvik.selectors import (
    failed_notifications_for,
    partnerships_of,
    roles_of,
)
from avvik.twofactor import second_factor_enabled, second_factor_required
from avvik.views.common import chosen_partnership, role_required

# Notifications -------------------------------------------------------------------------


@require_GET
@role_required(lambda r: r.is_coordinator)
def failed_notifications(request: HttpRequest) -> HttpResponse:
    rows = failed_notifications_for(request.user)[:200]
    return render(request, "avvik/failed_notifications.html", {"notifications": rows})


@require_POST
@role_required(lambda r: r.is_coordinator)
def notification_resend(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(failed_notifications_for(request.user), pk=pk)
    services.notification_resend(notification=notification, by=request.user)
    messages.success(request, _("The notification is queued to be sent again."))
    return redirect("avvik:failed_notifications")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, notification_delivery=form.cleaned_data["notification_delivery"])
        messages.success(request, _("Your settings are saved."))
        return redirect("avvik:preferences")
    context = {
        "form": form,
        "second_factor_offered": settings.SECOND_FACTOR != "off",
        "second_factor_on": second_factor_enabled(request.user),
        "second_factor_required": second_factor_required(request.user),
    }
    return render(request, "avvik/preferences.html", context)


# Deadlines ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(lambda r: r.is_coordinator)
def deadlines(request: HttpRequest) -> HttpResponse:
    partnership = chosen_partnership(request, roles_of(request.user).coordinator_of)
    policy_form = DeadlinePolicyForm(
        request.POST if request.POST.get("form") == "policy" else None, partnership=partnership
    )
    closure_form = ClosureDayForm(request.POST if request.POST.get("form") == "closure" else None)
    if request.method == "POST":
        if policy_form.is_bound and policy_form.is_valid():
            services.deadline_policy_set(by=request.user, partnership=partnership, **policy_form.cleaned_data)
            messages.success(request, _("The deadline is saved. It applies to deadlines set from now on."))
            return redirect(f"{reverse('avvik:deadlines')}?p={partnership.slug}")
        if closure_form.is_bound and closure_form.is_valid():
            services.closure_day_add(
                by=request.user,
                partnership=partnership,
                day=closure_form.cleaned_data["day"],
                name=closure_form.cleaned_data["name"],
            )
            messages.success(request, _("The closure day is saved."))
            return redirect(f"{reverse('avvik:deadlines')}?p={partnership.slug}")
        messages.error(request, _("Nothing was saved; see the fields marked below."))
    context = {
        "partnership": partnership,
        "policies": partnership.deadline_policies.select_related("category"),
        "closures": partnership.closure_days.filter(date__gte=timezone.localdate()),
        "policy_form": policy_form,
        "closure_form": closure_form,
        "other_partnerships": partnerships_of(request.user)
        .filter(pk__in=roles_of(request.user).coordinator_of)
        .exclude(pk=partnership.pk),
    }
    return render(request, "avvik/deadlines.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@role_required(lambda r: r.is_coordinator)
def deadline_delete(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(DeadlinePolicy, pk=pk, partnership__in=roles_of(request.user).coordinator_of)
    services.deadline_policy_delete(by=request.user, policy=policy)
    messages.success(request, _("The deadline is removed."))
    return redirect(f"{reverse('avvik:deadlines')}?p={policy.partnership.slug}")


@require_POST
@role_required(lambda r: r.is_coordinator)
def closure_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_or_404(ClosureDay, pk=pk, partnership__in=roles_of(request.user).coordinator_of)
    services.closure_day_delete(by=request.user, closure=closure)
    messages.success(request, _("The closure day is removed."))
    return redirect(f"{reverse('avvik:deadlines')}?p={closure.partnership.slug}")


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and for a signed-in person also remembered on their account."""
    from django.conf import settings
    from django.views.i18n import set_language

    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.preferences_update(user=request.user, language=language)
    return set_language(request)
