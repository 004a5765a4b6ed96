"""The upload of a people file."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# 10,000 rows of a few short cells fit well within this.
MAX_BYTES = 5 * 1024 * 1024


class PeopleUploadForm(forms.Form):
    file = forms.FileField(
        label=_("People file"),
        help_text=_("CSV (UTF-8 or Windows-1252) or XLSX, in the format described below."),
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
