"""`{{ form.field|as_field }}`: crispy's bootstrap5 field markup at a fraction of its cost."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from avvik.core.field_markup import field_markup

register = template.Library()


@register.filter
def as_field(field: BoundField) -> SafeString:
    return field_markup(field)
