"""The traffic page (pairs of parties and failure clusters) and the upload of a file of message events."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from avvik.access.guards import chosen_partnership, role_required
from avvik.access.roles import Roles, roles_of
from avvik.cases.models import Deviation
from avvik.tenancy.models import Organisation, Partnership
from avvik.traffic import charts, selectors
from avvik.traffic.forms import EVENT_FIELDS, EventUploadForm, ResponseTimesForm
from avvik.traffic.models import ResponseTime, TrafficPolicy
from avvik.traffic.parsing import read_events
from avvik.traffic.services import (
    MAX_BATCH,
    IntakeResult,
    RowError,
    record_events,
    response_times_set,
    upload_source,
)

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest

# The page lists at most this many rows with errors; the counts are always complete.
MOST_ERRORS_SHOWN = 200


def _owns_traffic(roles: Roles) -> bool:
    return bool(roles.message_owner_in)


def _follows_traffic(roles: Roles) -> bool:
    return bool(roles.message_owner_in or roles.coordinator_of)


# The page lists at most this many clusters, newest failure first.
MOST_CLUSTERS_SHOWN = 50


@role_required(_follows_traffic)
def traffic(request: "AuthenticatedHttpRequest") -> HttpResponse:
    roles = roles_of(request.user)
    partnership_ids = set(roles.coordinator_of) | set(
        Organisation.objects.filter(pk__in=roles.message_owner_in).values_list("partnership_id", flat=True)
    )
    partnership = chosen_partnership(request, partnership_ids)
    assert partnership is not None  # role_required: a coordinator or an owner in some organisation
    names = selectors.her_names(partnership.pk)
    clusters = list(
        selectors.visible_clusters(roles, partnership.pk).select_related(
            "sender_organisation", "receiver_organisation"
        )[:MOST_CLUSTERS_SHOWN]
    )
    # A case is linked only for a reader who may open it; the others see that there is one.
    readable = set(
        Deviation.objects.visible_to(request.user)
        .filter(pk__in=[c.deviation_id for c in clusters if c.deviation_id])
        .values_list("pk", "reference")
    )
    references = dict(readable)
    messages_read = selectors.visible_messages(roles, partnership.pk)
    pairs = selectors.pair_figures(messages_read, names)
    days = selectors.daily_trend(messages_read)
    return render(
        request,
        "traffic/traffic.html",
        {
            "partnership": partnership,
            "partnerships": Partnership.objects.filter(pk__in=partnership_ids).order_by("name")
            if len(partnership_ids) > 1
            else [],
            "pairs": pairs,
            "days": days,
            "failure_rate_chart": charts.failure_rate_chart(pairs) if pairs else "",
            "trend_chart": charts.trend_chart(days),
            "clusters": [(cluster, references.get(cluster.deviation_id or 0)) for cluster in clusters],
            "names": names,
            "period_days": selectors.PERIOD_DAYS,
            "may_upload": bool(roles.message_owner_in),
            "may_set_times": partnership.pk in roles.runs_settings_of,
        },
    )


@role_required(_owns_traffic)
def upload_events(request: "AuthenticatedHttpRequest") -> HttpResponse:
    organisations = list(Organisation.objects.filter(pk__in=roles_of(request.user).message_owner_in).order_by("name"))
    choices = [(organisation.pk, organisation.name) for organisation in organisations]
    result: IntakeResult | None = None
    problem = ""
    if request.method == "POST":
        form = EventUploadForm(request.POST, request.FILES, organisations=choices)
        if form.is_valid():
            organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
            parsed = read_events(form.cleaned_data["file"])
            problem = parsed.problem
            if not problem:
                result = IntakeResult(
                    errors=[RowError(line, {"": [text]}) for line, text in sorted(parsed.bad_lines.items())]
                )
                source = upload_source(organisation.pk)
                for start in range(0, len(parsed.rows), MAX_BATCH):
                    result.add(
                        record_events(
                            organisation.partnership_id,
                            source,
                            parsed.rows[start : start + MAX_BATCH],
                            parsed.lines[start : start + MAX_BATCH],
                        )
                    )
                result.errors.sort(key=lambda error: error.position)
    else:
        form = EventUploadForm(organisations=choices)
    status = 400 if (request.method == "POST" and (form.errors or problem)) else 200
    return render(
        request,
        "traffic/upload.html",
        {
            "form": form,
            "result": result,
            "problem": problem,
            "errors_shown": result.errors[:MOST_ERRORS_SHOWN] if result else [],
            "columns": EVENT_FIELDS,
            "title": _("Upload message events"),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(lambda roles: roles.runs_settings)
def response_times(request: "AuthenticatedHttpRequest") -> HttpResponse:
    """The partnership's agreed response times, set by its coordinators and administrators."""
    roles = roles_of(request.user)
    partnership = chosen_partnership(request, roles.runs_settings_of)
    assert partnership is not None  # role_required: runs the settings of some partnership
    policy = TrafficPolicy.objects.filter(partnership=partnership).first()
    stored = dict(ResponseTime.objects.filter(partnership=partnership).values_list("message_type", "minutes"))
    form = ResponseTimesForm(
        request.POST or None, partnership=partnership, initial=ResponseTimesForm.initial_for(policy, stored)
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                response_times_set(
                    by=request.user,
                    partnership=partnership,
                    default_response_minutes=data["default_response_minutes"],
                    cluster_window_hours=data["cluster_window_hours"],
                    category=data["category"],
                    response_times=data["response_times"],
                )
            except ValidationError as refused:
                for field, errors in refused.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The response times are saved. They apply to messages sent from now on."))
                return redirect(f"{reverse('traffic:response_times')}?p={partnership.slug}")
        messages.error(request, _("Nothing was saved; see the fields marked below."))
    return render(
        request,
        "traffic/response_times.html",
        {
            "partnership": partnership,
            "form": form,
            "other_partnerships": Partnership.objects.filter(pk__in=roles.runs_settings_of)
            .exclude(pk=partnership.pk)
            .order_by("name"),
        },
        status=400 if request.method == "POST" else 200,
    )
