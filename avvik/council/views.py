"""The council's pages: statistics with charts, quarterly reports, and volumes for rates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from avvik.access.guards import chosen_partnership, role_required
from avvik.access.roles import roles_of
from avvik.cases import permissions
from avvik.cases.models.deviation import Deviation
from avvik.core.downloads import file_download
from avvik.council import services
from avvik.council.choices import ReportStatus
from avvik.council.counting import statistics_cached
from avvik.council.disclosure import figures_for
from avvik.council.follow_up import follow_up_chapters
from avvik.council.forms import CouncilSummaryForm, StatisticsFilterForm, ThresholdDecisionForm, VolumeForm
from avvik.council.freezing import published_figures
from avvik.council.hotspots import hotspot_chapters
from avvik.council.models import CouncilReport, ThresholdDecision, Volume
from avvik.council.periods import Period
from avvik.council.presentation import in_reader_language, report_content
from avvik.council.suppression import hidden_text
from avvik.tenancy.models import Partnership


def _statistics_partnership(request: HttpRequest) -> Partnership:
    roles = roles_of(request.user)
    return chosen_partnership(request, roles.coordinator_of | roles.council_of)


@require_GET
@role_required(lambda r: r.is_coordinator or r.is_council)
def statistics(request: HttpRequest) -> HttpResponse:
    partnership = _statistics_partnership(request)
    if partnership is None:
        raise PermissionDenied
    council = partnership.pk not in roles_of(request.user).coordinator_of
    form = StatisticsFilterForm(request.GET or None, partnership=partnership, council=council)
    period = None
    if form.is_bound and form.is_valid():
        period, organisation = form.cleaned_data["chosen"], form.cleaned_data["organisation"]
    else:
        period, organisation = Period.parse(form.fields["period"].initial), None
    if council:  # the same protected figures as the council's PDF, frozen at the period's first publication
        stats, figures = published_figures(partnership, period, counted=statistics_cached)
    else:
        stats = statistics_cached(partnership, period, organisation)
        figures = figures_for(stats, exact=True)
    figures = in_reader_language(figures, partnership.pk)
    # The same content (titles, summary, chapters, tables, charts) as the PDF, made by the same function.
    extra = [
        *hotspot_chapters(stats, threshold=figures.threshold, exact=figures.exact),
        *follow_up_chapters(stats, threshold=figures.threshold, exact=figures.exact),
    ]
    content = report_content(figures, partnership=partnership, period=stats.period, extra=extra)
    context = {
        "content": content,
        "partnership": partnership,
        "form": form,
        "stats": stats,
        "figures": figures,
        "council": council,
        "hidden": hidden_text(),
        "threshold": figures.threshold,
        "reportable": period.completed(timezone.localdate()),
        "chapters": content["chapters"],
        "charts": content["charts"],
        "matrix": content["matrix"],
        "reports": CouncilReport.objects.filter(partnership=partnership).order_by("-requested_at")[:20],
        "period_value": request.GET.get("period", form.fields["period"].initial),
    }
    return render(request, "council/statistics.html", context)


@require_POST
@role_required(lambda r: r.is_coordinator or r.is_council)
def report_create(request: HttpRequest) -> HttpResponse:
    partnership = _statistics_partnership(request)
    # The council's own restrictions hold for its reports too: whole quarters and years only.
    council = partnership.pk not in roles_of(request.user).coordinator_of
    form = StatisticsFilterForm(request.POST, partnership=partnership, council=council)
    if not form.is_valid():
        messages.error(request, _("Choose a valid period for the report."))
        return redirect(f"{reverse('council:statistics')}?p={partnership.slug}")
    try:
        report = services.report_request(partnership=partnership, period=form.cleaned_data["chosen"], by=request.user)
    except (services.TooManyReports, services.NotAReportPeriod) as refusal:
        messages.error(request, str(refusal))
        return redirect(f"{reverse('council:statistics')}?p={partnership.slug}")
    if report is None:  # two requests at once took the same version number
        messages.info(request, _("The report is already being made."))
        return redirect(f"{reverse('council:statistics')}?p={partnership.slug}")
    return redirect("council:report", pk=report.pk)


def _get_report_for_user(request: HttpRequest, pk: int) -> CouncilReport:
    return get_object_or_404(CouncilReport.objects.visible_to(request.user).select_related("partnership"), pk=pk)


@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_for_user(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"status": report.status, "label": report.get_status_display(), "progress": report.progress}
        )
    return render(request, "council/report.html", {"report": report})


@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = _get_report_for_user(request, pk)
    if report.status != ReportStatus.DONE:
        raise PermissionDenied
    name = f"samhandlingsavvik-{report.partnership.slug}-{report.period_label.replace(' ', '')}-v{report.version}.pdf"
    return file_download(report.file, filename=name, content_type="application/pdf")


@require_http_methods(["GET", "POST"])
@role_required(lambda r: r.is_coordinator)
def volumes(request: HttpRequest) -> HttpResponse:
    partnership = _statistics_partnership(request)
    if partnership.pk not in roles_of(request.user).coordinator_of:
        raise PermissionDenied
    form = VolumeForm(request.POST or None, partnership=partnership)
    if request.method == "POST":
        if form.is_valid():
            services.volume_set(by=request.user, **form.cleaned_data)
            messages.success(request, _("The volume is saved."))
            return redirect(f"{reverse('council:volumes')}?p={partnership.slug}")
        messages.error(request, _("Nothing was saved; see the fields marked below."))
    rows = (
        Volume.objects.visible_to(request.user)
        .filter(organisation__partnership=partnership)
        .select_related("organisation")[:200]
    )
    return render(
        request,
        "council/volumes.html",
        {"partnership": partnership, "form": form, "volumes": rows},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def council_summary(request: HttpRequest, reference: str) -> HttpResponse:
    deviation = get_object_or_404(Deviation.objects.visible_to(request.user), reference=reference)
    if not permissions.is_coordinator_of(request.user, deviation):
        raise PermissionDenied
    form = CouncilSummaryForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("text", []):
            messages.error(request, error)
        return redirect("cases:detail", reference=reference)
    services.council_summary_set(by=request.user, deviation=deviation, text=form.cleaned_data["text"])
    messages.success(request, _("The summary for the council is saved."))
    return redirect("cases:detail", reference=reference)


@require_http_methods(["GET", "POST"])
@role_required(lambda r: r.is_partnership_admin)
def threshold(request: HttpRequest) -> HttpResponse:
    """The partnership's administrator records a decision to change the council's threshold."""
    partnership = chosen_partnership(request, roles_of(request.user).partnership_admin_of)
    if partnership is None:
        raise PermissionDenied
    form = ThresholdDecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.threshold_change(by=request.user, partnership=partnership, **form.cleaned_data)
            except ValidationError as refusal:
                for field, errors in refusal.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("The new threshold and its decision are saved."))
                return redirect(f"{reverse('council:threshold')}?p={partnership.slug}")
        messages.error(request, _("Nothing was saved; see the fields marked below."))
    decisions = ThresholdDecision.objects.visible_to(request.user).filter(partnership=partnership)
    return render(
        request,
        "council/threshold.html",
        {"partnership": partnership, "form": form, "decisions": decisions.select_related("recorded_by")[:50]},
        status=400 if request.method == "POST" else 200,
    )
