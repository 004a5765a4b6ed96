"""The case page, its actions, attachments, the patient reference and the access log."""

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from avvik.access.roles import roles_of
from avvik.cases import conversation, permissions, relations, services
from avvik.cases.choices import AccessKind, Action, Status
from avvik.cases.closing import closing_blocked_by
from avvik.cases.forms.actions import ActionForm, ReplyForm, action_form
from avvik.cases.forms.relations import RelationForm
from avvik.cases.forms.thread import AttachmentForm, CommentForm
from avvik.cases.lifecycle import LIFECYCLE
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Attachment, PatientReference, Transition
from avvik.cases.selectors import case_access_log, visible_comments
from avvik.cases.services.comments import answers_the_question
from avvik.cases.services.relations import may_relate
from avvik.cases.services.thread import account_number_confirmations_record
from avvik.cases.views.common import deviation_for_user
from avvik.cases.views.confirmation import CONFIRM_FIELD, confirmation_page
from avvik.core.downloads import file_download

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


def _detail_context(
    request: "AuthenticatedHttpRequest", deviation: Deviation, *, bound: dict[str, BaseForm] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    user = request.user
    allowed = permissions.allowed_actions(user, deviation)
    # The reporter's reply is written in the question's own box, not among the actions.
    action_forms = [
        bound.get(action) or action_form(action)(deviation=deviation, user=user)
        for action in allowed
        if not LIFECYCLE[action].on_thread
    ]
    transitions = list(Transition.objects.filter(deviation=deviation).select_related("by"))
    attachments = Attachment.objects.filter(deviation=deviation).select_related("uploaded_by")
    comments = visible_comments(user, deviation).select_related("author", "organisation")
    reply_form = None
    if Action.REPLY in allowed:
        reply_form = bound.get(Action.REPLY) or ReplyForm(deviation=deviation, user=user)
    relating = may_relate(user, deviation)
    return {
        # Related and merged cases: only those the reader may read (cases.relations).
        "related": relations.relations_of(user, deviation),
        "merged_into": relations.merged_into(user, deviation),
        "merged_duplicates": relations.merged_duplicates(user, deviation),
        "may_relate": relating,
        "relation_form": (bound.get("relation") or RelationForm(deviation=deviation, user=user)) if relating else None,
        "suggestions": relations.suggestions(user, deviation)
        if permissions.is_coordinator_of(user, deviation) and not deviation.is_ended
        else [],
        "deviation": deviation,
        # Forms of the areas above cases that sit on this page (avvik.duties), when sent back with errors.
        "bound": bound,
        "action_forms": action_forms,
        "transitions": transitions,
        "thread": conversation.thread(comments, transitions),
        "open_question": conversation.open_question(deviation, transitions),
        "reply_form": reply_form,
        "attachments": attachments,
        "comment_form": bound.get("comment") or CommentForm(may_write_internal=not roles_of(user).reads_only_own_cases),
        "attachment_form": bound.get("attachment") or AttachmentForm(),
        "may_edit": permissions.may_edit(user, deviation),
        "may_comment": permissions.may_comment(user, deviation),
        "may_see_patient": permissions.may_see_patient(user, deviation),
        "has_patient": _has_patient(deviation),
        "may_see_access_log": permissions.may_see_access_log(user, deviation),
        "is_coordinator": permissions.is_coordinator_of(user, deviation),
        # What went to whom, why and when: for the contact point.
        "notifications": deviation.notifications.select_related("recipient").order_by("created_at")
        if permissions.is_coordinator_of(user, deviation)
        else (),
    }


def _has_patient(deviation: Deviation) -> bool:
    return PatientReference.objects.filter(deviation=deviation, erased_at__isnull=True).exists()


def render_detail(
    request: "AuthenticatedHttpRequest",
    deviation: Deviation,
    *,
    bound: dict[str, BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request, "cases/deviation_detail.html", _detail_context(request, deviation, bound=bound), status=status
    )


@require_GET
def deviation_detail(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    services.access_log_write(user=request.user, kind=AccessKind.CASE, deviation=deviation)
    return render_detail(request, deviation)


@require_POST
def deviation_action(request: "AuthenticatedHttpRequest", reference: str, action: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    if action not in LIFECYCLE or not permissions.may_act(request.user, deviation, action):
        raise PermissionDenied
    step = LIFECYCLE[action]
    if step.on_thread:
        return _reply(request, deviation)
    form = action_form(action)(request.POST, deviation=deviation, user=request.user)
    if not form.is_valid():
        messages.error(request, _("The form has errors. Nothing was saved; see the fields marked below."))
        return render_detail(request, deviation, bound={action: form}, status=400)
    if action == Action.CLOSE and (reasons := closing_blocked_by(deviation)):
        # Said on the close form, before asking to confirm a close that would be refused.
        messages.error(request, " ".join(reasons))
        return render_detail(request, deviation, bound={action: form}, status=400)
    confirm = request.POST.get(CONFIRM_FIELD)
    if step.confirm and confirm != "yes":
        if form.cleaned_data["version"] != deviation.version:
            # Said before asking to confirm what may no longer hold.
            messages.error(request, services.StaleVersion.message)
            return render_detail(request, deviation, bound={action: form}, status=409)
        if confirm == "back":
            return render_detail(request, deviation, bound={action: form})
        return confirmation_page(request, deviation, form)
    try:
        with transaction.atomic():
            services.deviation_transition(
                deviation=deviation, by=request.user, action=action, **form.transition_arguments()
            )
            # The person's confirmation that numbers in the note are bank account numbers.
            account_number_confirmations_record(
                deviation=deviation, by=request.user, confirmed=form.confirmed_account_numbers
            )
    except services.StaleVersion:
        messages.error(request, services.StaleVersion.message)
        return render_detail(request, deviation_for_user(request, reference), bound={action: form}, status=409)
    except services.ClosingBlocked as blocked:
        messages.error(request, str(blocked))
        return render_detail(request, deviation, bound={action: form}, status=400)
    messages.success(request, _done(action, deviation))
    return redirect("cases:detail", reference=deviation.reference)


def _done(action: str, deviation: Deviation) -> str:
    """The sentence that tells the person the action is done."""
    organisation = deviation.responsible_organisation
    return str(LIFECYCLE[action].done).format(organisation=organisation.name if organisation else "")


def _reply(request: "AuthenticatedHttpRequest", deviation: Deviation) -> HttpResponse:
    """The reporter's answer to the question: a comment on the shared thread, which resumes the case."""
    form = ReplyForm(request.POST, deviation=deviation, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Your answer was not sent; see the field marked below."))
        return render_detail(request, deviation, bound={Action.REPLY: form}, status=400)
    return _comment(request, deviation, form, body=form.cleaned_data["note"], internal=False)


def _comment(
    request: "AuthenticatedHttpRequest",
    deviation: Deviation,
    form: ActionForm | CommentForm,
    *,
    body: str,
    internal: bool,
) -> HttpResponse:
    reply = not internal and answers_the_question(request.user, deviation)
    # Confirmed numbers are recorded for the comment's text, whichever box it was written in.
    confirmed = {"body": sum(form.confirmed_account_numbers.values())}
    services.comment_add(
        deviation=deviation, by=request.user, body=body, internal=internal, confirmed_account_numbers=confirmed
    )
    if reply and deviation.status == Status.IN_PROGRESS:
        messages.success(request, _done(Action.REPLY, deviation))
    else:
        messages.success(request, _("The comment is sent."))
    return redirect("cases:detail", reference=deviation.reference)


@require_POST
def comment_create(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    if not permissions.may_comment(request.user, deviation):
        raise PermissionDenied
    form = CommentForm(request.POST, may_write_internal=not roles_of(request.user).reads_only_own_cases)
    if not form.is_valid():
        messages.error(request, _("The comment was not sent; see the field marked below."))
        return render_detail(request, deviation, bound={"comment": form}, status=400)
    return _comment(
        request, deviation, form, body=form.cleaned_data["body"], internal=form.cleaned_data.get("internal", False)
    )


@require_POST
def attachment_create(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    if not permissions.may_upload(request.user, deviation):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The attachment was not added; see the field marked below."))
        return render_detail(request, deviation, bound={"attachment": form}, status=400)
    for upload in form.cleaned_data["files"]:
        services.attachment_add(deviation=deviation, by=request.user, upload=upload)
    messages.success(request, _("The attachment is added."))
    return redirect("cases:detail", reference=deviation.reference)


@require_GET
def attachment_download(request: "AuthenticatedHttpRequest", reference: str, pk: int) -> HttpResponseBase:
    deviation = deviation_for_user(request, reference)
    attachment = get_object_or_404(Attachment, deviation=deviation, pk=pk)
    services.access_log_write(
        user=request.user, kind=AccessKind.ATTACHMENT, deviation=deviation, detail=attachment.original_name
    )
    response = file_download(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@never_cache
@require_GET
def patient_reference(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    if not permissions.may_see_patient(request.user, deviation):
        raise PermissionDenied
    patient = services.patient_reference_read(deviation=deviation, by=request.user)
    return render(request, "cases/patient_reference.html", {"deviation": deviation, "patient": patient})


@require_GET
def access_log(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    if not permissions.may_see_access_log(request.user, deviation):
        raise PermissionDenied
    entries = case_access_log(request.user, deviation)[:500]
    return render(request, "cases/access_log.html", {"deviation": deviation, "entries": entries})
