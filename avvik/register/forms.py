"""The upload of a register file."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The national register is some 30,000 entries; a copy for one partnership is far smaller.
MAX_BYTES = 20 * 1024 * 1024


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file"),
        help_text=_("CSV or JSON in the format described in the documentation (UTF-8 or Windows-1252)."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                gettext("The file is {size}; at most {limit} can be read.").format(
                    size=filesizeformat(upload.size), limit=filesizeformat(MAX_BYTES)
                )
            )
        self.file_name = upload.name
        data: bytes = upload.read()
        return data
