"""The shapes the API reads and writes. Input serializers check types only; the rules of filing and
commenting are the pages' own forms (avvik.cases.forms), so the API and the pages cannot disagree."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from avvik.cases.choices import AppRec, Channel, MessageType, Status
from avvik.cases.forms.filing import FREE_TEXT
from avvik.cases.models import Attachment, Comment, Deviation, Transition
from avvik.catalogue.choices import Consequence

# -- input --------------------------------------------------------------------------------------


class DeviationFilingSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    """A new deviation, as the filing form takes it; ids come from GET /api/v1/choices/."""

    occurred_at = serializers.DateTimeField(help_text="When it happened (ISO 8601, with offset).")
    counterpart = serializers.IntegerField(min_value=1, help_text="Organisation id: whom the deviation is about.")
    category = serializers.IntegerField(min_value=1, help_text="Category id.")
    consequence = serializers.ChoiceField(choices=Consequence.choices, help_text="What happened.")
    potential_consequence = serializers.ChoiceField(
        choices=Consequence.choices, help_text="What could have happened: the actual consequence or worse."
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20000)
    unexpected = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Required for very serious harm and death."
    )
    reporting_unit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    counterpart_unit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    clause = serializers.IntegerField(min_value=1, required=False, allow_null=True, help_text="Agreement clause id.")
    immediate_action = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    suggested_measure = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    message_type = serializers.ChoiceField(choices=MessageType.choices, required=False, allow_blank=True)
    sender_her_id = serializers.CharField(max_length=9, required=False, allow_blank=True)
    receiver_her_id = serializers.CharField(max_length=9, required=False, allow_blank=True)
    message_sent_at = serializers.DateTimeField(required=False, allow_null=True)
    apprec = serializers.ChoiceField(choices=AppRec.choices, required=False, allow_blank=True)
    apprec_error_code = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Only with a negative AppRec: its error code."
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True)
    message_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    patient_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    patient_identity_number = serializers.CharField(max_length=13, required=False, allow_blank=True)
    confirmed_account_numbers = serializers.ListField(
        child=serializers.ChoiceField(choices=[(name, name) for name in FREE_TEXT]),
        required=False,
        max_length=len(FREE_TEXT),
        help_text="Free-text fields whose numbers are bank account numbers, not identity numbers.",
    )


class CommentInputSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    body = serializers.CharField(max_length=20000)
    internal = serializers.BooleanField(required=False, default=False)
    confirmed_account_number = serializers.BooleanField(
        required=False, default=False, help_text="The numbers in the text are bank account numbers."
    )


class AttachmentInputSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    files = serializers.ListField(child=serializers.FileField(), help_text="One or more files (multipart).")


# -- output -------------------------------------------------------------------------------------


class NamedSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    id = serializers.IntegerField()
    name = serializers.CharField()


class TransitionSerializer(serializers.ModelSerializer):  # type: ignore[misc]  # DRF is untyped
    class Meta:
        model = Transition
        fields = ("action", "from_status", "to_status", "at", "note")


class CommentSerializer(serializers.ModelSerializer):  # type: ignore[misc]  # DRF is untyped
    author = serializers.CharField(source="author.full_name", default="", read_only=True)
    organisation = serializers.CharField(source="organisation.name", default=None, read_only=True)

    class Meta:
        model = Comment
        fields = ("id", "author", "organisation", "body", "is_internal", "created_at")


class AttachmentSerializer(serializers.ModelSerializer):  # type: ignore[misc]  # DRF is untyped
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ("id", "name", "content_type", "size", "created_at", "url")

    def get_url(self, attachment: Attachment) -> str:
        path = reverse("api:attachment", args=[attachment.deviation.reference, attachment.pk])
        return f"{settings.SITE_URL}{path}"


class AnswerSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    cause = serializers.CharField(source="answer_cause")
    measures = serializers.CharField(source="answer_measures")
    measures_done = serializers.BooleanField(allow_null=True)
    answered_at = serializers.DateTimeField()


class DeviationSummarySerializer(serializers.ModelSerializer):  # type: ignore[misc]  # DRF is untyped
    """A row of the list."""

    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    category = NamedSerializer()
    reporting_organisation = NamedSerializer()
    counterpart = NamedSerializer()
    responsible_organisation = NamedSerializer(allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Deviation
        fields: tuple[str, ...] = (
            "reference",
            "url",
            "status",
            "status_label",
            "title",
            "consequence",
            "potential_consequence",
            "category",
            "reporting_organisation",
            "counterpart",
            "responsible_organisation",
            "occurred_at",
            "created_at",
            "updated_at",
            "triage_due",
            "answer_due",
        )

    def get_url(self, deviation: Deviation) -> str:
        return f"{settings.SITE_URL}{reverse('api:case', args=[deviation.reference])}"


class DeviationDetailSerializer(DeviationSummarySerializer):
    """One case: what was filed, its status and history, the answer once given, and the thread as the
    reader may read it (internal notes only for those the pages show them to)."""

    answer = serializers.SerializerMethodField()
    timeline = TransitionSerializer(many=True, source="api_transitions")
    comments = CommentSerializer(many=True, source="api_comments")
    attachments = AttachmentSerializer(many=True, source="api_attachments")
    clause = serializers.SerializerMethodField()
    message_type = serializers.CharField()
    apprec = serializers.CharField()

    class Meta(DeviationSummarySerializer.Meta):
        fields = (
            *DeviationSummarySerializer.Meta.fields,
            "description",
            "immediate_action",
            "suggested_measure",
            "clause",
            "unexpected",
            "message_type",
            "sender_her_id",
            "receiver_her_id",
            "message_sent_at",
            "apprec",
            "apprec_error_code",
            "channel",
            "message_id",
            "forwarded_at",
            "closed_at",
            "answer",
            "timeline",
            "comments",
            "attachments",
        )

    def get_clause(self, deviation: Deviation) -> str | None:
        return str(deviation.clause) if deviation.clause_id else None

    def get_answer(self, deviation: Deviation) -> dict[str, Any] | None:
        if deviation.answered_at is None:
            return None
        data: dict[str, Any] = AnswerSerializer(deviation).data
        return data


class DeviationPageSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    results = DeviationSummarySerializer(many=True)
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)


class UnitChoiceSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    id = serializers.IntegerField()
    name = serializers.CharField()
    her_id = serializers.CharField()


class OrganisationChoiceSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    her_id = serializers.CharField()
    units = UnitChoiceSerializer(many=True)


class CategoryChoiceSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    id = serializers.IntegerField()
    name = serializers.CharField()
    concerns_message = serializers.BooleanField(help_text="A message type is required for this category.")


class ClauseChoiceSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    document = serializers.CharField()


class ValueLabelSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    value = serializers.CharField()
    label = serializers.CharField()


class ChoicesSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    """What a filing may point to, in the client's partnership."""

    organisation = NamedSerializer(help_text="The client's own organisation.")
    organisations = OrganisationChoiceSerializer(many=True)
    categories = CategoryChoiceSerializer(many=True)
    clauses = ClauseChoiceSerializer(many=True)
    consequences = ValueLabelSerializer(many=True)
    message_types = ValueLabelSerializer(many=True)
    apprec = ValueLabelSerializer(many=True)
    channels = ValueLabelSerializer(many=True)
    statuses = ValueLabelSerializer(many=True)


class ProblemSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    """Problem details (RFC 9457), the body of every error."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per field, for status 400.",
    )
