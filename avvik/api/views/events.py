"""Message events from systems (message servers, EPJ): taken in by batch, kept in the client's partnership."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from avvik.api.choices import Scope
from avvik.api.views.base import ApiView
from avvik.api.views.cases import ERRORS, INVALID
from avvik.cases.choices import MessageType
from avvik.traffic.choices import EventKind, ReceiptStatus
from avvik.traffic.services import MAX_BATCH, client_source, record_events


class EventInputSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    """One event as documented; each row is checked again on its own so one bad row spoils nothing else."""

    message_id = serializers.CharField(max_length=100, help_text="The message's id (the MsgId of the message).")
    kind = serializers.ChoiceField(choices=EventKind.choices)
    message_type = serializers.ChoiceField(choices=MessageType.choices, required=False, allow_blank=True)
    sender_her_id = serializers.CharField(max_length=9, required=False, allow_blank=True)
    receiver_her_id = serializers.CharField(max_length=9, required=False, allow_blank=True)
    happened_at = serializers.DateTimeField(help_text="When it happened (ISO 8601, with offset).")
    receipt_status = serializers.ChoiceField(choices=ReceiptStatus.choices, required=False, allow_blank=True)
    error_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    error_text = serializers.CharField(max_length=300, required=False, allow_blank=True)


class EventBatchSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    events = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=MAX_BATCH, help_text="1 to 1,000 events."
    )


class RowErrorSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    index = serializers.IntegerField(help_text="The event's position in the batch, from 0.")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class IntakeResultSerializer(serializers.Serializer):  # type: ignore[misc]  # DRF is untyped
    accepted = serializers.IntegerField(help_text="New events taken in.")
    repeated = serializers.IntegerField(help_text="Events taken in before (or twice in this batch): nothing changed.")
    rejected = serializers.IntegerField(help_text="Events with errors, not taken in; see errors.")
    errors = RowErrorSerializer(many=True)


class EventBatchView(ApiView):
    write_scope = Scope.EVENTS_WRITE.value

    @extend_schema(
        operation_id="message_events_create",
        summary="Report message events in a batch",
        description=(
            "Sending, transport receipt and application receipt of electronic messages. The same event "
            "(message id and kind) sent again changes nothing, so a batch may be repeated after a timeout; "
            "events may come in any order. Each event is checked on its own: the others are kept."
        ),
        request=EventBatchSerializer,
        responses={
            200: OpenApiResponse(IntakeResultSerializer, description="What was taken in, and the rows with errors."),
            **INVALID,
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        batch = EventBatchSerializer(data=request.data)
        if not batch.is_valid():
            raise exceptions.ValidationError(batch.errors)
        client = self.token.client
        if not isinstance(batch.validated_data["events"], list):  # pragma: no cover - the serializer made it a list
            raise exceptions.ValidationError({"events": [_("Send a list of events.")]})
        result = record_events(client.partnership_id, client_source(client.pk), batch.validated_data["events"])
        return Response(
            {
                "accepted": result.accepted,
                "repeated": result.repeated,
                "rejected": result.rejected,
                "errors": [{"index": error.position, "errors": error.errors} for error in result.errors],
            }
        )
