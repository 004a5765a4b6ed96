"""The shape of one reported event, checked the same way for the API and for an uploaded file."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import MessageType
from avvik.catalogue.models import Category
from avvik.register.parsing import FORMULA_STARTS
from avvik.tenancy.models import Partnership, validate_her_id
from avvik.traffic.choices import EventKind, ReceiptStatus, TimeUnit
from avvik.traffic.models import DEFAULT_RESPONSE_MINUTES, TrafficPolicy

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


class _SharedFields(dict[str, forms.Field]):
    """The fields of a form that only checks input: every form made of them shares them. Django
    copies each field of a form, choices and widget included, in case a view changes them; an
    event's form is made for each event, a thousand in a batch, and nothing changes its fields."""

    def __deepcopy__(self, memo: dict[int, Any]) -> "_SharedFields":
        return self


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


EventForm.base_fields = _SharedFields(EventForm.base_fields)


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


# The longest response time or window one may agree: two weeks.
MOST_MINUTES = 60 * 24 * 14


def response_field_names(message_type: str) -> tuple[str, str]:
    """The amount and the unit field of a message type's response time."""
    return f"time_{message_type}", f"unit_{message_type}"


class ResponseTimesForm(forms.Form):
    """The partnership's agreed response times: a default, a time per message type (empty = the
    default), the window for gathering failures and the category of the cases the failures open.
    Each time is typed in minutes or hours and handed on in minutes."""

    default_time = forms.IntegerField(label=_("Response time for other message types"), min_value=1)
    default_unit = forms.ChoiceField(label=_("Minutes or hours"), choices=TimeUnit.choices, initial=TimeUnit.HOURS)
    cluster_window_hours = forms.IntegerField(
        label=_("Window for gathering failures (hours)"),
        min_value=1,
        max_value=24 * 14,
        help_text=_("Failures of the same kind between the same two parties within this time become one case."),
    )
    category = forms.ModelChoiceField(
        label=_("Category of system deviations"),
        queryset=Category.objects.none(),
        required=False,
        help_text=_("The cases opened for failed messages get this category."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        # Only the partnership's own active categories: no drop-down lists another tenant's.
        category.queryset = Category.objects.filter(partnership=partnership, is_active=True).order_by(
            "position", "name"
        )
        category.empty_label = _("No category")
        for value, label in MessageType.choices:
            amount, unit = response_field_names(value)
            self.fields[amount] = forms.IntegerField(label=label, min_value=1, required=False)
            self.fields[unit] = forms.ChoiceField(
                label=_("Minutes or hours for %(type)s") % {"type": label},
                choices=TimeUnit.choices,
                initial=TimeUnit.MINUTES,
            )

    def message_type_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[amount], self[unit]) for amount, unit in map(response_field_names, MessageType.values)]

    @staticmethod
    def _minutes(amount: int, unit: str) -> int:
        return amount * 60 if unit == TimeUnit.HOURS else amount

    def _checked_minutes(self, amount_name: str, unit_name: str) -> int | None:
        amount = self.cleaned_data.get(amount_name)
        unit = self.cleaned_data.get(unit_name)
        if amount is None or unit is None:
            return None
        minutes = self._minutes(amount, unit)
        if minutes > MOST_MINUTES:
            self.add_error(amount_name, _("A response time can be at most 14 days (336 hours)."))
            return None
        return minutes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["default_response_minutes"] = self._checked_minutes("default_time", "default_unit")
        data["response_times"] = {
            value: self._checked_minutes(*response_field_names(value)) for value in MessageType.values
        }
        return data

    @classmethod
    def initial_for(cls, policy: TrafficPolicy | None, times: dict[str, int]) -> dict[str, Any]:
        """The stored times, shown in hours where they are whole hours."""
        initial: dict[str, Any] = {
            "cluster_window_hours": policy.cluster_window_hours if policy else 24,
            "category": policy.category_id if policy else None,
        }
        default = policy.default_response_minutes if policy else DEFAULT_RESPONSE_MINUTES
        initial["default_time"], initial["default_unit"] = _shown(default)
        for value, minutes in times.items():
            amount, unit = response_field_names(value)
            initial[amount], initial[unit] = _shown(minutes)
        return initial


def _shown(minutes: int) -> tuple[int, str]:
    return (minutes // 60, TimeUnit.HOURS) if minutes % 60 == 0 else (minutes, TimeUnit.MINUTES)
