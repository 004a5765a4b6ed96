"""Bar charts: one bar per label, drawn as SVG on the server."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from avvik.council.charts.drawing import (
    AXIS,
    BAR_FILL,
    FONT_SIZE,
    HIDDEN,
    MUTED_TEXT,
    SUPPRESSED_FILL,
    TEXT,
    Value,
    _baseline_shift,
    _check_id,
    _fit,
    _is_count,
    _line,
    _no_data,
    _open,
    _rect,
    _text,
    _text_width,
    _title,
    _value_text,
)


def bar_chart(
    *,
    id: str,
    title: str,
    labels: list[str],
    values: list[Value],
    width: int = 640,
    bar_height: int = 22,
    description: str = "",
) -> SafeString:
    """Horizontal bars, one per label, each with its value written at its end.

    The longest bar fills the plot area. A suppressed value (None) gets a short grey stub and the
    text "<5"; a withheld one (HIDDEN) gets no bar and the text "hidden"; zero gets no bar and "0".
    """
    _check_id(id)
    if len(labels) != len(values):
        raise ValueError("bar_chart needs one value per label")
    if not labels:
        return _no_data(id=id, title=title, width=width, height=48, kind="bar")

    counts = [value for value in values if _is_count(value)]
    largest = max(counts, default=0)
    texts = [_value_text(value) for value in values]
    padding = 8
    gap = max(4, round(bar_height * 0.35))
    pitch = bar_height + gap
    height = 2 * padding + len(labels) * pitch - gap

    label_room = max(60, round(width * 0.45))
    shown = [_fit(label, label_room - 10) for label in labels]
    label_width = min(label_room, max(_text_width(text) for text in shown) + 10)
    value_width = max(_text_width(text) for text in texts) + 8
    left = padding + label_width
    plot_width = max(20, width - left - value_width - padding)

    if not description:
        description = _bar_summary(labels, values)
    parts = [_open(id=id, title=title, description=description, width=width, height=height, kind="bar")]
    for index, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        top = padding + index * pitch
        middle = top + bar_height / 2
        parts.append("<g>")
        parts.append(_title(f"{label}: {text}"))
        parts.append(_text(left - 8, middle + _baseline_shift(FONT_SIZE), shown[index], anchor="end"))
        if value is None:
            length = min(6, plot_width)
            parts.append(_rect(left, top, length, bar_height, fill=SUPPRESSED_FILL))
        elif value is HIDDEN:
            length = 0
        elif largest > 0 and value > 0:
            length = plot_width * value / largest
            parts.append(_rect(left, top, length, bar_height, fill=BAR_FILL))
        else:
            length = 0
        fill = MUTED_TEXT if value is HIDDEN else TEXT
        parts.append(_text(left + length + 5, middle + _baseline_shift(FONT_SIZE), text, fill=fill))
        parts.append("</g>")
    parts.append(_line(left, padding - 2, left, height - padding + 2, stroke=AXIS))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every caller text passed through escape()


def _bar_summary(labels: list[str], values: list[Value]) -> str:
    shown = [(value, label) for label, value in zip(labels, values, strict=True) if _is_count(value)]
    value, label = max(shown, key=lambda pair: pair[0], default=(0, ""))
    if value < 5 and HIDDEN in values:
        return _("Bar chart of %(count)s categories, each hidden or fewer than 5.") % {"count": len(labels)}
    if value < 5:
        return _("Bar chart of %(count)s categories, each with fewer than 5.") % {"count": len(labels)}
    return _("Bar chart of %(count)s categories; the largest is %(label)s with %(value)s.") % {
        "count": len(labels),
        "label": label,
        "value": value,
    }
