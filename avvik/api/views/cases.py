"""The endpoints on cases. Every read starts from `Deviation.objects.visible_to(client's account)`,
so a case outside the client's organisation is 404, as on the pages; writes go through the pages'
forms and the cases' services."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from avvik.api.choices import Scope
from avvik.api.problems import PayloadTooLarge
from avvik.api.serializers import (
    AttachmentInputSerializer,
    AttachmentSerializer,
    ChoicesSerializer,
    CommentInputSerializer,
    CommentSerializer,
    DeviationDetailSerializer,
    DeviationFilingSerializer,
    DeviationPageSerializer,
    DeviationSummarySerializer,
    ProblemSerializer,
)
from avvik.api.views.base import ApiView
from avvik.cases import permissions, services
from avvik.cases.choices import AccessKind, AppRec, Channel, MessageType, Status
from avvik.cases.filters import DeviationFilter
from avvik.cases.forms.filing import DeviationForm
from avvik.cases.forms.thread import AttachmentForm, CommentForm
from avvik.cases.models import Attachment, Comment, Deviation, Transition
from avvik.cases.selectors import visible_comments
from avvik.cases.services.filing import FILED_FIELDS
from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import AgreementClause, Category
from avvik.core.downloads import file_download
from avvik.core.form_fields import CONFIRMED_ACCOUNT_NUMBERS, account_number_box_name
from avvik.core.uploads import validate_upload
from avvik.tenancy.models import Organisation, Unit, User

READ = Scope.CASES_READ.value
WRITE = Scope.CASES_WRITE.value
# A page of the list: as on the pages by default, at most a hundred rows.
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


def _problems(status: int, description: str) -> dict[int, OpenApiResponse]:
    return {status: OpenApiResponse(ProblemSerializer, description=description)}


ERRORS = {
    **_problems(401, "No token, or the token is unknown, expired or revoked."),
    **_problems(403, "The client lacks the scope, or may read the case but not do this."),
    **_problems(404, "No such case visible to the client."),
    **_problems(429, "Too many requests from this client; see Retry-After."),
}
INVALID = _problems(400, "Invalid input; `errors` has the messages per field.")


def _form_errors(form: Any) -> dict[str, list[str]]:
    return {
        ("non_field_errors" if name == "__all__" else name): list(messages) for name, messages in form.errors.items()
    }


def case_for(user: User, reference: str) -> Deviation:
    """The case if the client's account may read it; 404 otherwise, so nothing leaks about its existence."""
    queryset = Deviation.objects.visible_to(user).select_related(
        "reporting_organisation", "counterpart", "responsible_organisation", "category", "clause"
    )
    return get_object_or_404(queryset, reference=reference[:20])


def _with_thread(user: User, deviation: Deviation) -> Deviation:
    """Attach what the detail shows of the case, read by the same rules as the case page."""
    deviation.api_transitions = Transition.objects.filter(deviation=deviation)  # type: ignore[attr-defined]
    deviation.api_comments = visible_comments(user, deviation).select_related("author", "organisation")  # type: ignore[attr-defined]
    deviation.api_attachments = Attachment.objects.filter(deviation=deviation).select_related("deviation")  # type: ignore[attr-defined]
    return deviation


def _detail(user: User, deviation: Deviation, *, status: int = 200) -> Response:
    services.access_log_write(user=user, kind=AccessKind.CASE, deviation=deviation, detail="API")
    return Response(DeviationDetailSerializer(_with_thread(user, deviation)).data, status=status)


LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="Free-text search, as on the pages (at most 200 characters)."),
    OpenApiParameter("status", str, many=True, enum=Status.values, explode=True),
    OpenApiParameter("consequence", str, many=True, enum=Consequence.values, explode=True),
    OpenApiParameter("category", int, description="Category id."),
    OpenApiParameter("reporting_organisation", int, description="Organisation id."),
    OpenApiParameter("responsible_organisation", int, description="Organisation id."),
    OpenApiParameter("created_after", OpenApiTypes.DATE, description="Reported on or after this day."),
    OpenApiParameter("created_before", OpenApiTypes.DATE, description="Reported on or before this day."),
    OpenApiParameter("occurred_after", OpenApiTypes.DATE, description="Happened on or after this day."),
    OpenApiParameter("occurred_before", OpenApiTypes.DATE, description="Happened on or before this day."),
    OpenApiParameter("overdue", bool, description="Only cases past their deadline."),
    OpenApiParameter(
        "ordering",
        str,
        enum=[
            f"{sign}{name}"
            for name in ("created", "occurred", "reference", "status", "consequence", "answer_due")
            for sign in ("", "-")
        ],
    ),
    OpenApiParameter("page", int, description=f"From 1 (at most {MAX_PAGE})."),
    OpenApiParameter("page_size", int, description=f"1 to {MAX_PAGE_SIZE}, default {PAGE_SIZE}."),
]


def _positive(request: Request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= maximum):
        raise exceptions.ValidationError(
            {name: [_("Give a whole number from 1 to {maximum}.").format(maximum=maximum)]}
        )
    return int(raw)


class CaseListView(ApiView):
    read_scope = READ
    write_scope = WRITE

    @extend_schema(
        operation_id="cases_list",
        summary="List the client's cases, with the pages' filters",
        parameters=LIST_PARAMETERS,
        responses={200: DeviationPageSerializer, **INVALID, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        user = self.client_user
        page = _positive(request, "page", 1, MAX_PAGE)
        size = _positive(request, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
        base = Deviation.objects.visible_to(user).for_list()
        filterset = DeviationFilter(request.query_params or None, queryset=base, user=user)
        if filterset.is_bound and not filterset.is_valid():
            raise exceptions.ValidationError(_form_errors(filterset.form))
        offset = (page - 1) * size
        rows = list(filterset.qs[offset : offset + size + 1])
        # The list hands many cases to another system at once: logged as an export, as the pages' downloads are.
        services.access_log_write(user=user, kind=AccessKind.EXPORT, detail=f"API {request.get_full_path()}")
        return Response(
            {
                "results": DeviationSummarySerializer(rows[:size], many=True).data,
                "next": self._page_url(request, page + 1) if len(rows) > size else None,
                "previous": self._page_url(request, page - 1) if page > 1 else None,
            }
        )

    def _page_url(self, request: Request, page: int) -> str:
        query = request.query_params.copy()
        query["page"] = str(page)
        return f"{settings.SITE_URL}{reverse('api:cases')}?{query.urlencode()}"

    @extend_schema(
        operation_id="cases_create",
        summary="File a deviation for the client's organisation",
        description=(
            "The same checks as the filing form, with the same messages: free text with a national identity "
            "number is refused (put it in patient_identity_number)."
        ),
        request=DeviationFilingSerializer,
        responses={201: DeviationDetailSerializer, **INVALID, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        user = self.client_user
        serializer = DeviationFilingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        data: dict[str, Any] = {
            name: values[name] for name in FILED_FIELDS if name in values and values[name] is not None
        }
        if values.get("unexpected") is not None:
            data["unexpected"] = "true" if values["unexpected"] else "false"
        data["reporting_organisation"] = self.token.client.organisation_id
        data["patient_name"] = values.get("patient_name", "")
        data["patient_identity_number"] = values.get("patient_identity_number", "")
        for name in values.get("confirmed_account_numbers", []):
            data[account_number_box_name(name)] = "on"
        form = DeviationForm(data, user=user, partnership=self.token.client.partnership)
        if not form.is_valid():
            raise exceptions.ValidationError(_form_errors(form))
        cleaned = form.cleaned_data
        if cleaned.get("reporting_organisation") is None:
            raise PermissionDenied(_("The client does not report for its organisation."))
        deviation = services.deviation_submit(
            by=user,
            organisation=cleaned["reporting_organisation"],
            data=cleaned,
            patient=services.PatientData(cleaned["patient_name"], cleaned["patient_identity_number"]),
        )
        response = _detail(user, case_for(user, deviation.reference), status=201)
        response["Location"] = f"{settings.SITE_URL}{reverse('api:case', args=[deviation.reference])}"
        return response


class CaseDetailView(ApiView):
    read_scope = READ

    @extend_schema(
        operation_id="cases_retrieve",
        summary="One case: status, answer, timeline and thread",
        responses={200: DeviationDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        return _detail(self.client_user, case_for(self.client_user, reference))


class CommentListView(ApiView):
    read_scope = READ
    write_scope = WRITE

    @extend_schema(
        operation_id="comments_list",
        summary="The case's thread as the client may read it",
        responses={200: CommentSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = self.client_user
        deviation = case_for(user, reference)
        services.access_log_write(user=user, kind=AccessKind.CASE, deviation=deviation, detail="API comments")
        comments = visible_comments(user, deviation).select_related("author", "organisation")
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(
        operation_id="comments_create",
        summary="Write on the case's thread",
        description="The comment form's checks: free text with a national identity number is refused.",
        request=CommentInputSerializer,
        responses={201: CommentSerializer, **INVALID, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        user = self.client_user
        deviation = case_for(user, reference)
        if not permissions.may_comment(user, deviation):
            raise PermissionDenied(_("This deviation takes no comments now: it has ended, or the client is no party."))
        serializer = CommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        data = {"body": values["body"], "internal": "on" if values["internal"] else ""}
        if values["confirmed_account_number"]:
            data[account_number_box_name("body")] = "on"
        form = CommentForm(data)
        if not form.is_valid():
            raise exceptions.ValidationError(_form_errors(form))
        comment = services.comment_add(
            deviation=deviation,
            by=user,
            body=form.cleaned_data["body"],
            internal=form.cleaned_data["internal"],
            confirmed_account_numbers=form.cleaned_data.get(CONFIRMED_ACCOUNT_NUMBERS),
        )
        return Response(CommentSerializer(comment).data, status=201)


class CommentDetailView(ApiView):
    read_scope = READ

    @extend_schema(operation_id="comments_retrieve", responses={200: CommentSerializer, **ERRORS})
    def get(self, request: Request, reference: str, pk: int) -> Response:
        user = self.client_user
        deviation = case_for(user, reference)
        comment: Comment = get_object_or_404(visible_comments(user, deviation).select_related("author"), pk=pk)
        services.access_log_write(user=user, kind=AccessKind.CASE, deviation=deviation, detail="API comment")
        return Response(CommentSerializer(comment).data)


class AttachmentListView(ApiView):
    read_scope = READ
    write_scope = WRITE

    @extend_schema(
        operation_id="attachments_list",
        summary="The case's attachments",
        responses={200: AttachmentSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        deviation = case_for(self.client_user, reference)
        attachments = Attachment.objects.filter(deviation=deviation).select_related("deviation")
        return Response(AttachmentSerializer(attachments, many=True).data)

    @extend_schema(
        operation_id="attachments_create",
        summary="Add files to the case",
        description="PDF, PNG, JPEG or plain text; the content decides, not the name. Same checks as the page.",
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={
            201: AttachmentSerializer(many=True),
            **INVALID,
            **ERRORS,
            **_problems(413, "A file is larger than the limit."),
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        user = self.client_user
        deviation = case_for(user, reference)
        if not permissions.may_upload(user, deviation):
            raise PermissionDenied(
                _("This deviation takes no attachments now: it has ended, or the client is no party.")
            )
        uploads = request.FILES.getlist("files")
        for upload in uploads:
            if upload.size > settings.ATTACHMENT_MAX_BYTES:
                try:
                    validate_upload(upload)
                except ValidationError as refused:  # the upload check words the message, as on the page
                    raise PayloadTooLarge(" ".join(refused.messages)) from None
        form = AttachmentForm({}, request.FILES)
        if not form.is_valid():
            raise exceptions.ValidationError(_form_errors(form))
        added = [
            services.attachment_add(deviation=deviation, by=user, upload=upload)
            for upload in form.cleaned_data["files"]
        ]
        return Response(AttachmentSerializer(added, many=True).data, status=201)


class AttachmentDownloadView(ApiView):
    read_scope = READ

    @extend_schema(
        operation_id="attachments_download",
        summary="Download an attachment",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS},
    )
    def get(self, request: Request, reference: str, pk: int) -> HttpResponseBase:
        user = self.client_user
        deviation = case_for(user, reference)
        attachment = get_object_or_404(Attachment, deviation=deviation, pk=pk)
        services.access_log_write(
            user=user, kind=AccessKind.ATTACHMENT, deviation=deviation, detail=f"API {attachment.original_name}"
        )
        # The file itself, or nginx's X-Accel-Redirect to it; never a redirect to the object store.
        response = file_download(
            attachment.file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
            redirect_allowed=False,
        )
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


def _labelled(choices: Any) -> list[dict[str, str]]:
    return [{"value": value, "label": str(label)} for value, label in choices]


class ChoicesView(ApiView):
    read_scope = (READ, WRITE)

    @extend_schema(
        operation_id="choices_retrieve",
        summary="The ids and values a filing may use in the client's partnership",
        responses={200: ChoicesSerializer, **_problems(401, "No valid token."), **_problems(429, "Throttled.")},
    )
    def get(self, request: Request) -> Response:
        client = self.token.client
        organisations = Organisation.objects.filter(partnership_id=client.partnership_id, is_active=True).order_by(
            "kind", "name"
        )
        units: dict[int, list[dict[str, Any]]] = {}
        for unit in Unit.objects.filter(organisation__in=organisations, is_active=True).order_by("name"):
            units.setdefault(unit.organisation_id, []).append({"id": unit.pk, "name": unit.name, "her_id": unit.her_id})
        return Response(
            {
                "organisation": {"id": client.organisation_id, "name": client.organisation.name},
                "organisations": [
                    {"id": o.pk, "name": o.name, "kind": o.kind, "her_id": o.her_id, "units": units.get(o.pk, [])}
                    for o in organisations
                ],
                "categories": [
                    {"id": c.pk, "name": c.name, "concerns_message": c.concerns_message}
                    for c in Category.objects.filter(partnership_id=client.partnership_id, is_active=True)
                ],
                "clauses": [
                    {"id": c.pk, "code": c.code, "title": c.title, "document": c.document}
                    for c in AgreementClause.objects.filter(partnership_id=client.partnership_id, is_active=True)
                ],
                "consequences": _labelled(Consequence.choices),
                "message_types": _labelled(MessageType.choices),
                "apprec": _labelled(AppRec.choices),
                "channels": _labelled(Channel.choices),
                "statuses": _labelled(Status.choices),
            }
        )
