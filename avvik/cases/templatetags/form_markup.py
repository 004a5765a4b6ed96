"""`{{ form.field|as_field }}` and `{{ form|as_fields }}`: crispy's bootstrap5 markup at a fraction of its cost;
`{{ form.field|as_widget }}`: the widget alone, as `{{ form.field }}` writes it."""

from django import template
from django.forms import BaseForm, BoundField
from django.utils.safestring import SafeString

from avvik.core.field_markup import field_markup, form_markup, widget_markup

register = template.Library()


@register.filter
def as_field(field: BoundField) -> SafeString:
    return field_markup(field)


@register.filter
def as_fields(form: BaseForm) -> SafeString:
    return form_markup(form)


@register.filter
def as_widget(field: BoundField) -> SafeString:
    return widget_markup(field)
