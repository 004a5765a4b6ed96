"""The shape of one reported event, checked the same way for the API and for an uploaded file."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import MessageType
from avvik.register.parsing import FORMULA_STARTS
from avvik.tenancy.models import validate_her_id
from avvik.traffic.choices import EventKind, ReceiptStatus

# The fields of an event, in the order of a file's columns (docs/api.md).
EVENT_FIELDS = (
    "message_id",
    "kind",
    "message_type",
    "sender_her_id",
    "receiver_her_id",
    "happened_at",
    "receipt_status",
    "error_code",
    "error_text",
)


class EventForm(forms.Form):
    message_id = forms.CharField(label=_("message id"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=EventKind.choices)
    message_type = forms.ChoiceField(label=_("message type"), choices=MessageType.choices, required=False)
    sender_her_id = forms.CharField(
        label=_("sender HER-id"), max_length=9, required=False, validators=[validate_her_id]
    )
    receiver_her_id = forms.CharField(
        label=_("receiver HER-id"), max_length=9, required=False, validators=[validate_her_id]
    )
    happened_at = forms.DateTimeField(label=_("when it happened"))
    receipt_status = forms.ChoiceField(label=_("application receipt"), choices=ReceiptStatus.choices, required=False)
    error_code = forms.CharField(label=_("error code"), max_length=20, required=False)
    error_text = forms.CharField(label=_("error text"), max_length=300, required=False)

    def clean_message_id(self) -> str:
        value: str = self.cleaned_data["message_id"]
        # An id is text to us; one that a spreadsheet would run as a formula is refused rather than kept.
        if value.startswith(FORMULA_STARTS):
            raise forms.ValidationError(_("A message id cannot start with =, +, - or @."), code="formula")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == EventKind.SENT:
            for name in ("message_type", "sender_her_id", "receiver_her_id"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("A sent message needs its type and both HER-ids."))
        if kind == EventKind.APPREC and not data.get("receipt_status") and "receipt_status" not in self.errors:
            self.add_error("receipt_status", _("An application receipt needs its status: ok or negative."))
        if data.get("error_code") and data.get("receipt_status") != ReceiptStatus.NEGATIVE:
            self.add_error("error_code", _("Only a negative application receipt has an error code."))
        return data


# A file of 10,000 events is about a megabyte.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class EventUploadForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Reported for"), coerce=int, empty_value=None)
    file = forms.FileField(
        label=_("File of message events"),
        help_text=_("CSV with a header line, in UTF-8 or Windows-1252; the columns are described on this page."),
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = organisations
        self.only = organisations[0][0] if len(organisations) == 1 else None
        if self.only is not None:
            # One organisation: nothing to choose, so nothing to send.
            self.fields["organisation"].required = False
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_organisation(self) -> int:
        chosen: int | None = self.cleaned_data.get("organisation")
        if self.only is not None:
            return self.only
        if chosen is None:
            raise forms.ValidationError(_("Choose the organisation the events are reported for."), code="required")
        return chosen

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it, or send the events through the API."), code="too_large"
            )
        data: bytes = upload.read()
        return data
