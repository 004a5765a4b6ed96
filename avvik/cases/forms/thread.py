"""Forms for the case's thread: a comment, attachments, the statutory alert."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from avvik.core.form_fields import (
    AccountNumberConfirmationMixin,
    MultipleFileField,
    check_uploads,
)
from avvik.core.identity_numbers import free_text_validator

if TYPE_CHECKING:
    from django.core.files.base import File


class CommentForm(AccountNumberConfirmationMixin, forms.Form):
    """A comment on the thread; `confirmed_account_numbers` goes to services.comment_add."""

    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), validators=[free_text_validator]
    )
    internal = forms.BooleanField(
        label=_("Internal note: only my organisation's handlers and the contact point can read it"),
        required=False,
    )

    def __init__(self, *args: Any, may_write_internal: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_write_internal:
            # A reporter writes to the other party and the contact point; internal notes are the
            # handlers' working notes.
            del self.fields["internal"]


class AttachmentForm(forms.Form):
    # Not marked required: attaching is optional on a case; sending the form empty is still an error.
    files = MultipleFileField(  # type: ignore[assignment]  # a field: the form class takes it off the class
        label=_("Add attachments"), help_text=_("PDF, PNG, JPEG or plain text, at most 10 MB each."), required=False
    )

    def clean_files(self) -> list["File[bytes]"]:
        files = self.cleaned_data.get("files") or []
        if not files:
            # The field's own "required" check never runs for a list of files.
            raise ValidationError(_("Choose at least one file to add."), code="required")
        return check_uploads(files)
