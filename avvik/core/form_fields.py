"""Form fields every area uses: local date-time input, several files in one field, yes/no."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from avvik.core.identity_numbers import free_text_validator
from avvik.core.uploads import clean_file_name, validate_upload

if TYPE_CHECKING:
    from django.core.files.base import File


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
            free_text_validator(clean_file_name(upload.name or ""))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return files


YES_NO = [("true", _("Yes")), ("false", _("No"))]
