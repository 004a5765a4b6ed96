"""Bulk actions on the lists: the list posts the chosen cases and an action, this view shows them
with what will happen to each, and a second POST confirms. Both steps are plain form posts."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from avvik.access.roles import roles_of
from avvik.cases.choices import Action
from avvik.cases.forms.bulk import BulkActionForm, BulkSelectionForm
from avvik.cases.services.bulk import BULK_ACTIONS, BulkOutcome, bulk_preview, deviations_bulk_transition

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


@require_POST
def deviations_bulk(request: "AuthenticatedHttpRequest") -> HttpResponse:
    """First POST (from a list): the confirmation page. Second POST (confirm=1): apply, report, go back."""
    action = request.POST.get("action", "")
    if action not in BULK_ACTIONS:
        return _back(request, _("Choose what to do with the chosen deviations."))
    if not _may_offer(request, action):
        raise PermissionDenied
    if request.POST.get("confirm") != "1":
        selection = BulkSelectionForm(request.POST)
        if not selection.is_valid():
            return _back(
                request,
                " ".join(str(error) for error in selection.non_field_errors()) or _("Choose at least one deviation."),
            )
        chosen = selection.cleaned_data["chosen"]
        form = BulkActionForm(initial={"references": chosen}, action=action, user=request.user)
        return _confirmation(request, action, form, chosen)
    form = BulkActionForm(request.POST, action=action, user=request.user)
    if not form.is_valid():
        references = form.fields["references"].to_python(request.POST.getlist("references"))
        if not references:
            return _back(request, _("Choose at least one deviation."))
        messages.error(request, _("The form has errors. Nothing was saved; see the fields marked below."))
        return _confirmation(request, action, form, references, status=400)
    outcome = deviations_bulk_transition(
        by=request.user,
        action=action,
        references=form.cleaned_data["references"],
        confirmed_account_numbers=form.confirmed_account_numbers,
        **form.transition_arguments(),
    )
    level = messages.SUCCESS if not outcome.refused else messages.WARNING if outcome.done else messages.ERROR
    messages.add_message(request, level, outcome_message(outcome))
    return redirect(_next_url(request))


def _may_offer(request: "AuthenticatedHttpRequest", action: str) -> bool:
    """The action is one the person's role takes at all; each case is still checked on its own."""
    roles = roles_of(request.user)
    if action == Action.ACCEPT:
        return roles.is_handler
    return roles.is_coordinator


def _confirmation(
    request: "AuthenticatedHttpRequest", action: str, form: BulkActionForm, references: list[str], *, status: int = 200
) -> HttpResponse:
    items = bulk_preview(by=request.user, action=action, references=references)
    context = {
        "action": action,
        "action_label": Action(action).label,
        "form": form,
        "items": items,
        "ready": sum(1 for item in items if item.refusal is None),
        "next_url": _next_url(request),
    }
    return render(request, "cases/bulk_confirm.html", context, status=status)


def _next_url(request: "AuthenticatedHttpRequest") -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url("cases:all")


def _back(request: "AuthenticatedHttpRequest", text: str) -> HttpResponse:
    messages.error(request, text)
    return redirect(_next_url(request))


def outcome_message(outcome: BulkOutcome) -> str:
    """ "3 deviations closed. 1 could not be closed: SA-… (wrong status)" in the person's language."""
    done = len(outcome.done)
    refused = len(outcome.refused)
    match outcome.action:
        case Action.FORWARD:
            text = ngettext("{count} deviation forwarded.", "{count} deviations forwarded.", done)
            failed = ngettext(
                "{count} could not be forwarded: {list}", "{count} could not be forwarded: {list}", refused
            )
        case Action.ACCEPT:
            text = ngettext("{count} deviation assigned.", "{count} deviations assigned.", done)
            failed = ngettext("{count} could not be assigned: {list}", "{count} could not be assigned: {list}", refused)
        case _:
            text = ngettext("{count} deviation closed.", "{count} deviations closed.", done)
            failed = ngettext("{count} could not be closed: {list}", "{count} could not be closed: {list}", refused)
    parts = [text.format(count=done)]
    if refused:
        listed = ", ".join(f"{reference} ({reason.label})" for reference, reason in outcome.refused)
        parts.append(failed.format(count=refused, list=listed))
    return " ".join(parts)
