"""Views: thin. They read through the scoped queryset and write through services."""

import csv
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import ListView

from avvik import permissions, services
from avvik.choices import AccessKind, Status
from avvik.filters import DeviationFilter
from avvik.forms import (
    ACTION_FORMS,
    AlertForm,
    AttachmentForm,
    ClosureDayForm,
    CommentForm,
    DeadlinePolicyForm,
    DeviationEditForm,
    DeviationForm,
    PreferencesForm,
)
from avvik.health import health_report
from avvik.models import AccessLog, Attachment, ClosureDay, DeadlinePolicy, Deviation, PatientReference, Transition
from avvik.selectors import (
    Roles,
    failed_notifications_for,
    organisations_visible_to,
    partnerships_of,
    roles_of,
    visible_comments,
)


def role_required(test: Callable[[Roles], bool]):
    """Refuse with 403 a signed-in person whose roles do not pass `test`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not test(roles_of(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the start page of their main role."""
    roles = roles_of(request.user)
    if roles.is_coordinator:
        return redirect("avvik:triage")
    if roles.is_handler:
        return redirect("avvik:handling")
    if roles.is_reporter:
        return redirect("avvik:mine")
    if roles.is_council:
        return redirect("avvik:statistics")
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "avvik/no_role.html")


# Lists ---------------------------------------------------------------------------------


class DeviationListView(ListView):
    """A filtered, sorted, paginated list of deviations, and its CSV export.

    Every list starts from `Deviation.objects.visible_to(user)`; a subclass narrows it in
    `scope()` and must say who may open it.
    """

    template_name = "avvik/deviation_list.html"
    paginate_by = 25
    list_name = ""
    title = ""
    empty_text = ""
    allowed: Callable[[Roles], bool] | None = None

    def dispatch(self, request, *args, **kwargs):
        if self.allowed is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set `allowed`.")
        if not type(self).allowed(roles_of(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def scope(self, queryset):
        raise ImproperlyConfigured(f"{type(self).__name__} must define scope().")

    def get_queryset(self):
        base = self.scope(Deviation.objects.visible_to(self.request.user)).for_list()
        self.filterset = DeviationFilter(self.request.GET or None, queryset=base, user=self.request.user)
        return self.filterset.qs

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.export_csv()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context.update(
            filter=self.filterset,
            title=self.title,
            empty_text=self.empty_text,
            list_name=self.list_name,
            query=query.urlencode(),
        )
        return context

    def export_csv(self) -> HttpResponse:
        rows = self.get_queryset().select_related("clause")
        services.access_log_write(
            user=self.request.user, kind=AccessKind.EXPORT, detail=f"{self.list_name}?{self.request.GET.urlencode()}"
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="avvik-{self.list_name}-{stamp}.csv"'
        response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("Reference"),
                _("Reported"),
                _("Happened"),
                _("Status"),
                _("Category"),
                _("Agreement clause"),
                _("Consequence"),
                _("Reported by"),
                _("Counterpart"),
                _("Responsible organisation"),
                _("Title"),
            ]
        )
        for d in rows.iterator(chunk_size=2000):
            writer.writerow(
                [
                    _cell(value)
                    for value in (
                        d.reference,
                        timezone.localtime(d.created_at).strftime("%Y-%m-%d %H:%M"),
                        timezone.localtime(d.occurred_at).strftime("%Y-%m-%d %H:%M"),
                        d.get_status_display(),
                        d.category.name,
                        str(d.clause) if d.clause else "",
                        d.get_consequence_display(),
                        d.reporting_organisation.name,
                        d.counterpart.name,
                        d.responsible_organisation.name if d.responsible_organisation else "",
                        d.title,
                    )
                ]
            )
        return response


def _cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class MyDeviationsView(DeviationListView):
    list_name = "mine"
    title = gettext_lazy("My deviations")
    empty_text = gettext_lazy("You have not reported any deviations yet.")

    @staticmethod
    def allowed(roles):
        return roles.is_reporter

    def scope(self, queryset):
        return queryset.filter(reporter=self.request.user)


class HandlingView(DeviationListView):
    list_name = "handling"
    title = gettext_lazy("For handling")
    empty_text = gettext_lazy("No deviations are waiting for your organisation.")

    @staticmethod
    def allowed(roles):
        return roles.is_handler

    def scope(self, queryset):
        roles = roles_of(self.request.user)
        return queryset.filter(responsible_organisation__in=roles.handler_in | roles.admin_in)


class TriageView(DeviationListView):
    list_name = "triage"
    title = gettext_lazy("Triage")
    empty_text = gettext_lazy("No new deviations are waiting for triage.")

    @staticmethod
    def allowed(roles):
        return roles.is_coordinator

    def scope(self, queryset):
        return queryset.filter(status=Status.SUBMITTED, partnership__in=roles_of(self.request.user).coordinator_of)


class AllDeviationsView(DeviationListView):
    list_name = "all"
    title = gettext_lazy("All deviations")
    empty_text = gettext_lazy("No deviations match.")

    @staticmethod
    def allowed(roles):
        return roles.is_reporter or roles.is_handler or roles.is_coordinator

    def scope(self, queryset):
        return queryset


# Filing and editing --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(lambda r: r.is_reporter)
def deviation_new(request: HttpRequest) -> HttpResponse:
    form = DeviationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        deviation = services.deviation_submit(
            by=request.user,
            organisation=data["reporting_organisation"],
            data=data,
            patient=services.PatientData(data["patient_name"], data["patient_identity_number"]),
            files=data["attachments"],
        )
        messages.success(
            request,
            _("Thank you. Deviation {reference} is reported and goes to the contact point.").format(
                reference=deviation.reference
            ),
        )
        return redirect("avvik:detail", reference=deviation.reference)
    return render(
        request,
        "avvik/deviation_form.html",
        {"form": form, "message_categories": form.message_category_ids, "her_ids": form.her_id_options},
    )


def _get_deviation_for_user(request: HttpRequest, reference: str) -> Deviation:
    """The case if the person may read it; 404 otherwise, so nothing leaks about its existence."""
    queryset = Deviation.objects.visible_to(request.user).select_related(
        "partnership",
        "reporter",
        "reporting_organisation",
        "reporting_unit",
        "counterpart",
        "counterpart_unit",
        "responsible_organisation",
        "assignee",
        "category",
        "clause",
        "alert_sent_by",
        "answered_by",
    )
    return get_object_or_404(queryset, reference=reference)


@require_http_methods(["GET", "POST"])
def deviation_edit(request: HttpRequest, reference: str) -> HttpResponse:
    deviation = _get_deviation_for_user(request, reference)
    if not permissions.may_edit(request.user, deviation):
        raise PermissionDenied
    form = DeviationEditForm(request.POST or None, instance=deviation)
    if request.method == "POST" and form.is_valid():
        try:
            services.deviation_update(
                deviation=deviation, by=request.user, version=form.cleaned_data["version"], changes=form.cleaned_data
            )
        except services.StaleVersion:
            messages.error(request, _(STALE_MESSAGE))
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("avvik:detail", reference=deviation.reference)
    return render(request, "avvik/deviation_edit.html", {"form": form, "deviation": deviation})


STALE_MESSAGE = gettext_lazy(
    "Someone else changed this deviation while you had it open. Nothing was saved. "
    "Your text is kept below: look at the case again and try once more."
)


# The case page and its actions ---------------------------------------------------------


def _detail_context(request: HttpRequest, deviation: Deviation, *, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    action_forms = [
        bound.get(action) or ACTION_FORMS[action](deviation=deviation, user=user)
        for action in permissions.allowed_actions(user, deviation)
    ]
    transitions = Transition.objects.filter(deviation=deviation).select_related("by")
    attachments = Attachment.objects.filter(deviation=deviation).select_related("uploaded_by")
    comments = visible_comments(user, deviation).select_related("author", "organisation")
    return {
        "deviation": deviation,
        "action_forms": action_forms,
        "transitions": transitions,
        "comments": comments,
        "attachments": attachments,
        "comment_form": bound.get("comment") or CommentForm(),
        "attachment_form": bound.get("attachment") or AttachmentForm(),
        "alert_form": bound.get("alert") or AlertForm(),
        "may_edit": permissions.may_edit(user, deviation),
        "may_comment": permissions.may_comment(user, deviation),
        "may_see_patient": permissions.may_see_patient(user, deviation),
        "has_patient": _has_patient(deviation),
        "may_record_alert": permissions.may_record_alert(user, deviation),
        "may_see_access_log": permissions.may_see_access_log(user, deviation),
        "is_coordinator": permissions.is_coordinator_of(user, deviation),
        # What went to whom, why and when: for the contact point.
        "notifications": deviation.notifications.select_related("recipient").order_by("created_at")
        if permissions.is_coordinator_of(user, deviation)
        else (),
    }


def _has_patient(deviation: Deviation) -> bool:
    return PatientReference.objects.filter(deviation=deviation, erased_at__isnull=True).exists()


def _render_detail(request, deviation, *, bound=None, status=200) -> HttpResponse:
    return render(
        request, "avvik/deviation_detail.html", _detail_context(request, deviation, bound=bound), status=status
    )


@require_GET
def deviation_detail(request: HttpRequest, reference: str) -> HttpResponse:
    deviation = _get_deviation_for_user(request, reference)
    services.access_log_write(user=request.user, kind=AccessKind.CASE, deviation=deviation)
    return _render_detail(request, deviation)


ACTION_SERVICES = {
    "forward": lambda d, u, c: services.deviation_forward(
        deviation=d, by=u, to=c["to"], category=c["category"], note=c["note"], version=c["version"]
    ),
    "reject": lambda d, u, c: services.deviation_reject(deviation=d, by=u, note=c["note"], version=c["version"]),
    "withdraw": lambda d, u, c: services.deviation_withdraw(deviation=d, by=u, note=c["note"], version=c["version"]),
    "accept": lambda d, u, c: services.deviation_accept(
        deviation=d, by=u, assignee=c["assignee"], note=c["note"], version=c["version"]
    ),
    "wait": lambda d, u, c: services.deviation_wait(deviation=d, by=u, note=c["note"], version=c["version"]),
    "resume": lambda d, u, c: services.deviation_resume(deviation=d, by=u, note=c["note"], version=c["version"]),
    "answer": lambda d, u, c: services.deviation_answer(
        deviation=d,
        by=u,
        cause=c["cause"],
        measures=c["measures"],
        measures_done=c["measures_done"],
        note=c["note"],
        version=c["version"],
    ),
    "close": lambda d, u, c: services.deviation_close(deviation=d, by=u, note=c["note"], version=c["version"]),
    "reopen": lambda d, u, c: services.deviation_reopen(deviation=d, by=u, note=c["note"], version=c["version"]),
}


@require_POST
def deviation_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    deviation = _get_deviation_for_user(request, reference)
    if action not in ACTION_FORMS:
        raise PermissionDenied
    if not permissions.may_act(request.user, deviation, action):
        raise PermissionDenied
    form = ACTION_FORMS[action](request.POST, deviation=deviation, user=request.user)
    if not form.is_valid():
        messages.error(request, _("The form has errors. Nothing was saved; see the fields marked below."))
        return _render_detail(request, deviation, bound={action: form}, status=400)
    try:
        ACTION_SERVICES[action](deviation, request.user, form.cleaned_data)
    except services.StaleVersion:
        messages.error(request, _(STALE_MESSAGE))
        return _render_detail(request, _get_deviation_for_user(request, reference), bound={action: form}, status=409)
    messages.success(request, _("Saved: {action}.").format(action=ACTION_FORMS[action].action.label))
    return redirect("avvik:detail", reference=deviation.reference)


@require_POST
def comment_create(request: HttpRequest, reference: str) -> HttpResponse:
    deviation = _get_deviation_for_user(request, reference)
    if not permissions.may_comment(request.user, deviation):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The message was not sent; see the field marked below."))
        return _render_detail(request, deviation, bound={"comment": form}, status=400)
    services.comment_add(
        deviation=deviation, by=request.user, body=form.cleaned_data["body"], internal=form.cleaned_data["internal"]
    )
    messages.success(request, _("The message is saved."))
    return redirect("avvik:detail", reference=deviation.reference)


@require_POST
def attachment_create(request: HttpRequest, reference: str) -> HttpResponse:
    deviation = _get_deviation_for_user(request, reference)
    if not permissions.may_upload(request.user, deviation):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The attachment was not added; see the field marked below."))
        return _render_detail(request, deviation, bound={"attachment": form}, status=400)
    for upload in form.cleaned_data["files"]:
        services.attachment_add(deviation=deviation, by=request.user, upload=upload)
    messages.success(request, _("The attachment is added."))
    return redirect("avvik:detail", reference=deviation.reference)


@require_GET
def attachment_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    deviation = _get_deviation_for_user(request, reference)
    attachment = get_object_or_404(Attachment, deviation=deviation, pk=pk)
    services.access_log_write(
        user=request.user, kind=AccessKind.ATTACHMENT, deviation=deviation, detail=attachment.original_name
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def alert_record(request: HttpRequest, reference: str) -> HttpResponse:
    deviation = _get_deviation_for_user(request, reference)
    if not permissions.may_record_alert(request.user, deviation):
        raise PermissionDenied
    form = AlertForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, deviation, bound={"alert": form}, status=400)
    services.alert_record(deviation=deviation, by=request.user, sent_at=form.cleaned_data["sent_at"])
    messages.success(request, _("The statutory alert is recorded."))
    return redirect("avvik:detail", reference=deviation.reference)


@never_cache
@require_GET
def patient_reference(request: HttpRequest, reference: str) -> HttpResponse:
    deviation = _get_deviation_for_user(request, reference)
    if not permissions.may_see_patient(request.user, deviation):
        raise PermissionDenied
    patient = services.patient_reference_read(deviation=deviation, by=request.user)
    return render(request, "avvik/patient_reference.html", {"deviation": deviation, "patient": patient})


@require_GET
def access_log(request: HttpRequest, reference: str) -> HttpResponse:
    deviation = _get_deviation_for_user(request, reference)
    if not permissions.may_see_access_log(request.user, deviation):
        raise PermissionDenied
    entries = AccessLog.objects.filter(deviation=deviation).select_related("user", "organisation")[:500]
    return render(request, "avvik/access_log.html", {"deviation": deviation, "entries": entries})


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
    return render(request, "avvik/preferences.html", {"form": form})


# Deadlines ------------------------------------------------------------------------------


def _coordinated_partnership(request: HttpRequest):
    """The partnership whose deadlines the coordinator manages (?p=slug when several)."""
    partnerships = partnerships_of(request.user).filter(pk__in=roles_of(request.user).coordinator_of)
    chosen = request.GET.get("p") or request.POST.get("p")
    return get_object_or_404(partnerships, slug=chosen) if chosen else partnerships.first()


@require_http_methods(["GET", "POST"])
@role_required(lambda r: r.is_coordinator)
def deadlines(request: HttpRequest) -> HttpResponse:
    partnership = _coordinated_partnership(request)
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


# Other pages ---------------------------------------------------------------------------


@require_GET
@role_required(lambda r: r.is_coordinator or r.is_council)
def statistics(request: HttpRequest) -> HttpResponse:
    return render(request, "avvik/statistics.html", {"partnerships": partnerships_of(request.user)})


@require_GET
@role_required(lambda r: r.has_any)
def organisations(request: HttpRequest) -> HttpResponse:
    return render(request, "avvik/organisations.html", {"organisations": organisations_visible_to(request.user)})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health_report()
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": {k: "ok" if v else "down" for k, v in checks.items()}},
        status=200 if healthy else 503,
    )
