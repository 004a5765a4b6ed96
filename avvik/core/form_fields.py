"""Form fields every area uses: local date-time input, several files in one field, yes/no, model
choices read once per form, and the confirmation that a number in free text is a bank account number."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from avvik.core.identity_numbers import (
    confirmed_free_text_validator,
    free_text_validator,
    scan_identity_numbers,
    strict_free_text_validator,
)
from avvik.core.uploads import clean_file_name, validate_upload

if TYPE_CHECKING:
    from django.core.files.base import File
    from django.forms.boundfield import BoundField


class ReadOnceIterator(ModelChoiceIterator):  # type: ignore[type-arg]  # not generic at run time
    """The choices from the field's queryset, read once per form and kept: Django's own iterator
    reads them again on every rendering, through a server-side cursor (three statements each)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


def read_once(field: forms.ModelChoiceField) -> None:  # type: ignore[type-arg]  # not generic at run time
    """Make a model choice field read its choices once; the widget holds its own iterator."""
    field.iterator = ReadOnceIterator
    field.widget.choices = field.choices


class ReadOnceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not generic at run time
    iterator = ReadOnceIterator


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked on its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def check_uploads(files: list["File[bytes]"]) -> list["File[bytes]"]:
    errors: list[str] = []
    for upload in files:
        try:
            validate_upload(upload)
            # A file name has no box to tick: a number in it is refused even if it may be an account number.
            strict_free_text_validator(clean_file_name(upload.name or ""))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return files


YES_NO = [("true", _("Yes")), ("false", _("No"))]


# The form's cleaned_data key under which AccountNumberConfirmationMixin hands the confirmations on.
CONFIRMED_ACCOUNT_NUMBERS = "confirmed_account_numbers"


def account_number_box_name(field_name: str) -> str:
    """The name of the confirmation box that belongs to a free-text field."""
    return f"{field_name}_is_account_number"


class AccountNumberConfirmationMixin(forms.BaseForm):
    """Lets a person confirm that a number in free text is a bank account number.

    Every field of the form that carries free_text_validator is watched. When the only identity
    numbers in its text may also be bank account numbers (see core.identity_numbers), a box is
    added right after the field, and once it is ticked the text is accepted; a number that can only
    be an identity number is still refused. Which fields were confirmed, with how many numbers each
    (never the digits), is in `confirmed_account_numbers` and in cleaned_data under
    CONFIRMED_ACCOUNT_NUMBERS, for the service to record.

    The boxes exist only on a bound form whose text needs one; a template that places fields one by
    one shows a field's box with `form.account_number_boxes.<field name>`.
    """

    _account_numbers_ticked: dict[str, int] | None = None

    def full_clean(self) -> None:
        if self.is_bound and self._account_numbers_ticked is None:
            self._account_numbers_ticked = self._offer_account_number_boxes()
        super().full_clean()
        if self.is_bound and hasattr(self, "cleaned_data"):
            self.cleaned_data[CONFIRMED_ACCOUNT_NUMBERS] = self.confirmed_account_numbers

    @property
    def confirmed_account_numbers(self) -> dict[str, int]:
        """The free-text fields whose numbers the person confirmed as account numbers, with how many."""
        ticked = self._account_numbers_ticked or {}
        cleaned = getattr(self, "cleaned_data", {})
        # A field that failed on something else is not accepted, so nothing was confirmed in it.
        return {name: count for name, count in ticked.items() if name in cleaned}

    @property
    def account_number_boxes(self) -> dict[str, "BoundField | None"]:
        """Each watched field's confirmation box, or None where the field needs none."""
        if self.is_bound and self._account_numbers_ticked is None:
            self.full_clean()  # the boxes are added while the form is cleaned
        watched = (free_text_validator, confirmed_free_text_validator)
        return {
            name: self[account_number_box_name(name)] if account_number_box_name(name) in self.fields else None
            for name, field in self.fields.items()
            if any(validator in field.validators for validator in watched)
        }

    def _offer_account_number_boxes(self) -> dict[str, int]:
        """Add a box after each watched field whose numbers may all be account numbers; return the
        fields whose box is ticked, with the number of numbers in each."""
        ticked = {}
        for name, field in list(self.fields.items()):
            if free_text_validator not in field.validators:
                continue
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            found = scan_identity_numbers(value if isinstance(value, str) else "")
            if not found or not all(number.may_be_account_number for number in found):
                continue
            box_name = account_number_box_name(name)
            box = forms.BooleanField(
                required=False,
                label=ngettext(
                    "This is a bank account number, not a national identity number",
                    "These are bank account numbers, not national identity numbers",
                    len(found),
                ),
                help_text=gettext(
                    "Tick only if the number in the field above is a bank account number. "
                    "Your confirmation is recorded, without the number."
                ),
                # Confirmed anew each time: a draft kept in the browser never ticks it.
                widget=forms.CheckboxInput(attrs={"data-no-draft": ""}),
            )
            self._place_after(name, box_name, box)
            if box.widget.value_from_datadict(self.data, self.files, self.add_prefix(box_name)):
                field.validators = [
                    confirmed_free_text_validator if validator is free_text_validator else validator
                    for validator in field.validators
                ]
                ticked[name] = len(found)
        return ticked

    def _place_after(self, name: str, box_name: str, box: forms.Field) -> None:
        fields = list(self.fields.items())
        position = [key for key, _field in fields].index(name) + 1
        self.fields = dict([*fields[:position], (box_name, box), *fields[position:]])
