"""A form field's Bootstrap 5 markup, written in Python.

The same markup as crispy-forms' bootstrap5 `as_crispy_field` (label, help text, errors, aria
attributes), without its dozen templates per field and Django's template per <option>: on the
filing form those cost more than the rest of the request. Widgets this module does not know are
rendered by Django as usual, inside the same wrapper.
"""

import html
from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms import BoundField
from django.forms.widgets import Input
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _escape(value: Any) -> str:
    """conditional_escape without its lazy-string wrapper: it runs for every option."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's attrs.html: False leaves the attribute out, True writes its name alone."""
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{_escape(value)}"')
    return "".join(parts)


def _css_class(widget: forms.Widget, extra: str) -> str:
    """crispy's class: the widget's own, its class name, then the Bootstrap classes."""
    own = widget.attrs.get("class", "")
    name = widget.__class__.__name__.lower()
    css = (own if name in own else f"{own} {name}") if own else name
    for part in extra.split():
        if part not in css.split():
            css += f" {part}"
    return css


def _widget_context(field: BoundField, css: str | None) -> dict[str, Any]:
    """What Django's widget template gets; `css` replaces the widget's class, None keeps its own."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({} if css is None else {"class": css}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context: dict[str, Any] = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    return context


def _errors(field: BoundField) -> str:
    if not field.errors:
        return ""
    lines = "".join(
        format_html('<p id="error_{}_{}"><strong>{}</strong></p>', number, field.auto_id, error)
        for number, error in enumerate(field.errors, start=1)
    )
    return format_html('<div id="{}_error" class="invalid-feedback">', field.auto_id) + lines + "</div>"


def _help(field: BoundField) -> str:
    if not field.help_text:
        return ""
    # crispy marks help text safe: it is written by us, never by the person filling the form.
    id_attr = format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else ""
    return f'<div {id_attr}class="form-text">{field.help_text}</div>'


def _label(field: BoundField, *, tag: str = "label") -> str:
    required = field.field.required
    classes = "form-label" + (" requiredField" if required else "") + (" fs-6" if tag == "legend" else "")
    for_attr = format_html('for="{}" ', field.id_for_label) if field.id_for_label else ""
    star = mark_safe('<span class="asteriskField">*</span>' if required else "")  # noqa: S308 - a constant
    return format_html('<{} {}class="{}">{}{}</{}>', tag, for_attr, classes, field.label, star, tag)


def _input(context: dict[str, Any]) -> str:
    value = context["value"]
    value_attr = format_html(' value="{}"', str(value)) if value is not None else ""
    return (
        format_html('<input type="{}" name="{}"', context["type"], context["name"])
        + value_attr
        + _attrs(context["attrs"])
        + ">"
    )


def _textarea(context: dict[str, Any]) -> str:
    # The newline after the tag is Django's: a browser drops it, so a leading newline in the text survives.
    text = conditional_escape(context["value"]) if context["value"] else ""
    return format_html('<textarea name="{}"', context["name"]) + _attrs(context["attrs"]) + f">\n{text}</textarea>"


def _options(options: Iterable[dict[str, Any]]) -> str:
    return "".join(
        f'<option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>{_escape(option["label"])}</option>'
        for option in options
    )


def _select(context: dict[str, Any]) -> str:
    parts = [format_html('<select name="{}"', context["name"]) + _attrs(context["attrs"]) + ">"]
    for group, options, _index in context["optgroups"]:
        if group:
            parts.append(format_html('<optgroup label="{}">', group) + _options(options) + "</optgroup>")
        else:
            parts.append(_options(options))
    parts.append("</select>")
    return "".join(parts)


def _radios(field: BoundField) -> str:
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    # As crispy's optgroups filter builds them.
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    parts = ["<div>"]
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(format_html("<strong>{}</strong>", group))
        for number, option in enumerate(options, start=1):
            parts.append(
                format_html(
                    '<div class="form-check"><input type="{}" class="form-check-input{}" name="{}" value="{}"',
                    option["type"],
                    invalid,
                    field.html_name,
                    str(option["value"]),
                )
                + _attrs(option["attrs"])
                + format_html(
                    '><label for="{}" class="form-check-label">{}</label>',
                    option["attrs"].get("id", ""),
                    option["label"],
                )
                + (_errors(field) if number == len(options) and group_number == len(groups) else "")
                + "</div>"
            )
    parts.append("</div>")
    return "".join(parts) + _help(field)


def _file(field: BoundField) -> str:
    parts = []
    for subwidget in field.subwidgets:
        data = subwidget.data
        attrs = {k: v for k, v in data["attrs"].items() if k != "class"}
        css = "form-control" + (f" {data['attrs']['class']}" if data["attrs"].get("class") else "")
        css += " is-invalid" if field.errors else ""
        disabled = " disabled" if field.field.disabled else ""
        parts.append(
            ('<div class="is-invalid">' if field.errors else "<div>")
            + format_html('<input type="{}" name="{}" class="{}"', data["type"], data["name"], css)
            + disabled
            + _attrs(attrs)
            + ">"
            + _errors(field)
            + _help(field)
            + "</div>"
        )
    return "".join(parts)


def widget_markup(field: BoundField) -> SafeString:
    """The widget alone, as `{{ form.field }}` writes it; an input written here, any other widget
    by Django's templates."""
    widget = field.field.widget
    if isinstance(widget, Input) and not isinstance(widget, forms.FileInput | forms.MultipleHiddenInput):
        return mark_safe(_input(_widget_context(field, None)))  # noqa: S308 - every text passed through format_html() or _escape()
    return mark_safe(str(field))  # noqa: S308 - Django's own widget rendering, escaped


def field_markup(field: BoundField) -> SafeString:
    """The field as crispy's bootstrap5 pack writes it, with the label shown."""
    widget = field.field.widget
    if field.is_hidden:
        return widget_markup(field)
    invalid = " is-invalid" if field.errors else ""
    wrapper = format_html('<div id="div_{}" class="mb-3">', field.auto_id)
    if isinstance(widget, forms.CheckboxInput):
        context = _widget_context(field, _css_class(widget, "form-check-input" + invalid))
        required = field.field.required
        label = format_html(
            '<label for="{}" class="form-check-label{}">{}',
            field.id_for_label,
            " requiredField" if required else "",
            field.label,
        ) + ('<span class="asteriskField">*</span></label>' if required else "</label>")
        inner = _input(context) + label + _errors(field) + _help(field)
        wrapper = format_html('<div id="div_{}" class="form-check">', field.auto_id)
        return mark_safe('<div class="mb-3">' + wrapper + inner + "</div></div>")  # noqa: S308 - every text passed through format_html() or _escape()
    if isinstance(widget, forms.RadioSelect):
        described = format_html(' aria-describedby="{}"', field.aria_describedby) if field.aria_describedby else ""
        legend = _label(field, tag="legend") if field.label else ""
        return mark_safe(wrapper + f"<fieldset{described}>" + legend + _radios(field) + "</fieldset></div>")  # noqa: S308 - every text passed through format_html() or _escape()
    label = _label(field) if field.label else ""
    if isinstance(widget, forms.FileInput):
        body = _file(field)
    elif isinstance(widget, forms.Select):
        body = (
            _select(_widget_context(field, _css_class(widget, "form-select" + invalid))) + _errors(field) + _help(field)
        )
    elif isinstance(widget, forms.Textarea):
        body = (
            _textarea(_widget_context(field, _css_class(widget, "form-control" + invalid)))
            + _errors(field)
            + _help(field)
        )
    elif isinstance(widget, Input):
        body = (
            _input(_widget_context(field, _css_class(widget, "form-control" + invalid))) + _errors(field) + _help(field)
        )
    else:
        css = _css_class(widget, "form-control" + invalid)
        body = str(field.as_widget(attrs={"class": css})) + _errors(field) + _help(field)
    return mark_safe(wrapper + label + body + "</div>")  # noqa: S308 - every text passed through format_html() or _escape()


def form_markup(form: forms.BaseForm) -> SafeString:
    """The whole form as crispy's `|crispy` filter writes it: errors not tied to a field, then every field."""
    parts = []
    if errors := form.non_field_errors():
        items = "".join(format_html("<li>{}</li>", error) for error in errors)
        parts.append(f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>')
    parts += [field_markup(field) for field in form]
    return mark_safe("".join(parts))  # noqa: S308 - every text passed through format_html() or _escape()
