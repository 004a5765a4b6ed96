"""Line charts: one line per series over the same labels, drawn as SVG on the server."""

import math

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from avvik.council.charts.drawing import (
    AXIS,
    COLUMN_ANGLE,
    DASHES,
    FONT_SIZE,
    GRID,
    MARKERS,
    MINIMUM_PLOT_HEIGHT,
    MUTED_TEXT,
    PALETTE,
    SMALL_FONT_SIZE,
    Value,
    _baseline_shift,
    _check_id,
    _is_count,
    _legend,
    _line,
    _marker,
    _no_data,
    _num,
    _open,
    _spread,
    _text,
    _text_width,
    _title,
    _value_text,
    nice_ticks,
)


def line_chart(
    *,
    id: str,
    title: str,
    labels: list[str],
    series: dict[str, list[Value]],
    width: int = 640,
    height: int = 260,
    description: str = "",
) -> SafeString:
    """One line per series over the labels (e.g. eight quarters), y axis from 0 on round gridlines.

    Every point has a marker (a different shape and dash per series), the last point carries its
    value, and a suppressed value (None) breaks the line and shows "<5" at the foot of its column;
    a withheld one (HIDDEN) does the same with the text "hidden".
    """
    _check_id(id)
    for name, points in series.items():
        if len(points) != len(labels):
            raise ValueError(f"series {name!r} needs one value per label")
    if not labels or not series:
        return _no_data(id=id, title=title, width=width, height=height, kind="line")

    names = list(series)
    counts = [value for points in series.values() for value in points if _is_count(value)]
    any_suppressed = any(value is None for points in series.values() for value in points)
    # A suppressed value lies between 1 and 4, so the axis reaches 5 whenever one is present.
    ticks = nice_ticks(max([*counts, 5 if any_suppressed else 0]))
    top_value = ticks[-1]

    padding = 10
    legend_parts, legend_height = ([], 0)
    if len(names) > 1:
        legend_parts, legend_height = _legend(names, x=padding, y=padding, width=width - 2 * padding)
    tick_width = max(_text_width(str(tick), SMALL_FONT_SIZE) for tick in ticks)
    end_texts = [_value_text(points[-1]) for points in series.values() if _is_count(points[-1])]
    end_width = max((_text_width(text, bold=True) for text in end_texts), default=0)
    left = padding + tick_width + 8
    right = width - padding - (end_width + 12 if end_texts else 0)

    label_widths = [_text_width(label, SMALL_FONT_SIZE) for label in labels]
    widest_label = max(label_widths)
    # Keep the first and the last label on the canvas when they are centred under their points.
    inset = max(12.0, label_widths[0] / 2 + 2 - left, label_widths[-1] / 2 + 2 - (width - right))
    inset = min(inset, (right - left) / 4)
    span = right - left - 2 * inset
    step = span / (len(labels) - 1) if len(labels) > 1 else 0
    xs = [left + inset + step * index for index in range(len(labels))] if len(labels) > 1 else [(left + right) / 2]
    rotate_labels = len(labels) > 1 and widest_label > step - 6
    if rotate_labels:
        angle = math.radians(COLUMN_ANGLE)
        # A rotated label hangs down to the left of its tick; the first one must stay on the canvas.
        needed = label_widths[0] * math.cos(angle) + 2 - left
        if needed > inset:
            inset = min(needed, (right - left) / 3)
            step = (right - left - 2 * inset) / (len(labels) - 1)
            xs = [left + inset + step * index for index in range(len(labels))]
        label_band = widest_label * math.sin(angle) + SMALL_FONT_SIZE * math.cos(angle) + 10
    else:
        label_band = SMALL_FONT_SIZE + 12
    top = padding + legend_height + (8 if legend_height else 4)
    bottom = height - padding - label_band
    if bottom - top < MINIMUM_PLOT_HEIGHT:  # the chart grows rather than squashes its plot
        height += math.ceil(MINIMUM_PLOT_HEIGHT - (bottom - top))
        bottom = height - padding - label_band

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / top_value

    if not description:
        description = _line_summary(names, labels)
    parts = [_open(id=id, title=title, description=description, width=width, height=height, kind="line")]
    parts.extend(legend_parts)
    for tick in ticks:
        y = y_of(tick)
        parts.append(_line(left, y, right, y, stroke=AXIS if tick == 0 else GRID))
        parts.append(
            _text(left - 6, y + _baseline_shift(SMALL_FONT_SIZE), str(tick), anchor="end", size=SMALL_FONT_SIZE)
        )
    for x, label in zip(xs, labels, strict=True):
        parts.append(_line(x, bottom, x, bottom + 4, stroke=AXIS))
        if rotate_labels:
            y = bottom + 8 + SMALL_FONT_SIZE * 0.7
            parts.append(
                _text(
                    x + 3,
                    y,
                    label,
                    anchor="end",
                    size=SMALL_FONT_SIZE,
                    fill=MUTED_TEXT,
                    transform=f"rotate(-{COLUMN_ANGLE} {_num(x + 3)} {_num(y)})",
                )
            )
        else:
            y = bottom + 8 + SMALL_FONT_SIZE * 0.8
            parts.append(_text(x, y, label, anchor="middle", size=SMALL_FONT_SIZE, fill=MUTED_TEXT))

    suppressed_at = [0] * len(labels)  # how many "<5" or "hidden" marks are stacked in each column so far
    end_labels = []
    for index, (name, points) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        parts.append("<g>")
        parts.append(_title(name))
        path, pen_down = [], False
        for x, value in zip(xs, points, strict=True):
            if not _is_count(value):
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{_num(x)} {_num(y_of(value))}")
            pen_down = True
        if path:
            dash = DASHES[index % len(DASHES)]
            dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5" '
                f'stroke-linejoin="round" stroke-linecap="round"{dash_attribute}/>'
            )
        marker = MARKERS[index % len(MARKERS)]
        for column, (x, label, value) in enumerate(zip(xs, labels, points, strict=True)):
            if not _is_count(value):
                mark = _value_text(value)
                y = bottom - 5 - suppressed_at[column] * (SMALL_FONT_SIZE + 2)
                suppressed_at[column] += 1
                parts.append("<g>")
                parts.append(_title(f"{name}, {label}: {mark}"))
                if len(names) > 1:
                    parts.append(_marker(marker, x - 12, y - 4, colour, size=3.5, hollow=True))
                    parts.append(_text(x - 6, y, mark, size=SMALL_FONT_SIZE))
                else:
                    parts.append(_text(x, y, mark, anchor="middle", size=SMALL_FONT_SIZE))
                parts.append("</g>")
            else:
                parts.append(_marker(marker, x, y_of(value), colour))
        if _is_count(points[-1]):
            end_labels.append((y_of(points[-1]), _value_text(points[-1])))
        parts.append("</g>")

    for y, text in _spread(end_labels, minimum_gap=FONT_SIZE + 1, low=top, high=bottom):
        parts.append(_text(xs[-1] + 9, y + _baseline_shift(FONT_SIZE), text, weight="bold"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every caller text passed through escape()


def _line_summary(names: list[str], labels: list[str]) -> str:
    return _("Line chart of %(series)s from %(first)s to %(last)s.") % {
        "series": ", ".join(names),
        "first": labels[0],
        "last": labels[-1],
    }
