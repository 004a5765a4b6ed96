"""The page where an organisation's message traffic owner uploads a file of message events."""

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from avvik.access.guards import role_required
from avvik.access.roles import Roles, roles_of
from avvik.tenancy.models import Organisation
from avvik.traffic.forms import EVENT_FIELDS, EventUploadForm
from avvik.traffic.parsing import read_events
from avvik.traffic.services import MAX_BATCH, IntakeResult, RowError, record_events, upload_source

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest

# The page lists at most this many rows with errors; the counts are always complete.
MOST_ERRORS_SHOWN = 200


def _owns_traffic(roles: Roles) -> bool:
    return bool(roles.message_owner_in)


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
