"""What an API client may do: a small fixed set of scopes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CASES_READ = "cases:read", _("Read the organisation's deviations")
    CASES_WRITE = "cases:write", _("File deviations, comment and add attachments")
    EVENTS_WRITE = "events:write", _("Report message events")
