"""Deadline phrases for templates: {{ notification.reason|reason_words }}."""

from django import template

from avvik.deadlines.phrases import reason_text

register = template.Library()


@register.filter
def reason_words(reason: str) -> str:
    """A reminder's kept reason ("working_days:-63") in words in the reader's language."""
    return reason_text(reason)
