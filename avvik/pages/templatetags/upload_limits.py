"""The attachment limits, handed to static/js/upload_size.js so the browser can tell a person
before anything is sent."""

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("partials/upload_limits.html")
def upload_limits() -> dict[str, Any]:
    return {
        "file_max": settings.ATTACHMENT_MAX_BYTES,
        "total_max": settings.ATTACHMENTS_MAX_TOTAL_BYTES,
        "most_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    }
