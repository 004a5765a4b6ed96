"""Matrix charts: a two-way table as shaded cells, drawn as SVG on the server."""

import functools
import math

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from avvik.council.charts.drawing import (
    COLUMN_ANGLE,
    FONT_SIZE,
    GRID,
    HIDDEN,
    SUPPRESSED_FILL,
    TEXT,
    WHITE,
    ZERO_CELL,
    Value,
    _baseline_shift,
    _check_id,
    _fit,
    _is_count,
    _no_data,
    _num,
    _open,
    _rect,
    _text,
    _text_width,
    _title,
    escape,
    hidden_text,
)
from avvik.council.suppression import suppressed_mark

MATRIX_LIGHT = "#f1f5fb"
MATRIX_DARK = "#08519c"


def matrix_chart(
    *,
    id: str,
    title: str,
    rows: list[str],
    columns: list[str],
    values: list[list[Value]],
    cell: int = 44,
    description: str = "",
) -> SafeString:
    """A heat map: reporting organisations down the side, responsible organisations across the top.

    Each cell's blue is proportional to its count and carries the number itself, "<5" for a
    suppressed count, "hidden" on white for a withheld one, or an en dash for zero. The text is
    white or dark, whichever reads at 4.5:1 or better.
    """
    _check_id(id)
    if len(values) != len(rows) or any(len(row) != len(columns) for row in values):
        raise ValueError("matrix_chart needs one row of values per row label and one value per column")
    if not rows or not columns:
        return _no_data(id=id, title=title, width=320, height=48, kind="matrix")

    counts = [value for row in values for value in row if _is_count(value)]
    largest = max(counts, default=0)
    texts = [[_cell_text(value) for value in row] for row in values]
    padding = 8
    cell_width = max(cell, max(_text_width(text) for row in texts for text in row) + 10)
    cell_height = cell

    row_labels = [_fit(label, 10_000) for label in rows]
    row_label_width = max(_text_width(label) for label in row_labels) + 10
    column_labels = [_fit(label, 10_000) for label in columns]
    column_widths = [_text_width(label) for label in column_labels]
    rotate = max(column_widths) > cell_width - 6
    left = padding + row_label_width
    centres = [left + cell_width * (index + 0.5) for index in range(len(columns))]
    grid_right = left + cell_width * len(columns)
    angle = math.radians(COLUMN_ANGLE)
    if rotate:
        header = max(column_widths) * math.sin(angle) + FONT_SIZE * math.cos(angle) + 8
        overhang = max(
            centre + text_width * math.cos(angle) + FONT_SIZE * math.sin(angle)
            for centre, text_width in zip(centres, column_widths, strict=True)
        )
    else:
        header = FONT_SIZE + 10
        overhang = grid_right
    top = padding + header
    width = math.ceil(max(grid_right, overhang) + padding)
    height = math.ceil(top + cell_height * len(rows) + padding)

    if not description:
        description = _matrix_summary(rows, columns, values)
    parts = [_open(id=id, title=title, description=description, width=width, height=height, kind="matrix")]
    for centre, label, shown in zip(centres, columns, column_labels, strict=True):
        parts.append("<g>")
        parts.append(_title(label))
        if rotate:
            x, y = centre - 2, top - 6
            parts.append(_text(x, y, shown, transform=f"rotate(-{COLUMN_ANGLE} {_num(x)} {_num(y)})"))
        else:
            parts.append(_text(centre, top - 8, shown, anchor="middle"))
        parts.append("</g>")
    # Each cell is the same few elements: the numbers and escaped texts they repeat are made once
    # per row, column or value (a matrix of 30 organisations has 900 cells).
    xs = [_num(left + column_index * cell_width) for column_index in range(len(columns))]
    centres_x = [_num(left + column_index * cell_width + cell_width / 2) for column_index in range(len(columns))]
    size = f'width="{_num(cell_width)}" height="{_num(cell_height)}"'
    escaped_columns = [escape(column) for column in columns]
    escaped_texts: dict[str, str] = {}
    fills: dict[Value, str] = {}
    for row_index, (label, shown) in enumerate(zip(rows, row_labels, strict=True)):
        y = top + row_index * cell_height
        middle = y + cell_height / 2 + _baseline_shift(FONT_SIZE)
        parts.append("<g>")
        parts.append(_title(label))
        parts.append(_text(left - 8, middle, shown, anchor="end"))
        parts.append("</g>")
        row_title, y_text, middle_text = escape(label), _num(y), _num(middle)
        for column_index, column in enumerate(escaped_columns):
            value = values[row_index][column_index]
            text = texts[row_index][column_index]
            if text not in escaped_texts:
                escaped_texts[text] = escape(text)
            if value not in fills:
                if value is None:
                    fills[value] = SUPPRESSED_FILL
                elif value is HIDDEN:
                    fills[value] = WHITE  # no shade: a withheld count must not hint at its size
                else:
                    fills[value] = _blend(MATRIX_LIGHT, MATRIX_DARK, value / largest if largest else 0)
            fill, shown_text = fills[value], escaped_texts[text]
            # As _title, _rect and _text would write them.
            parts.append(
                f"<g><title>{row_title} → {column}: {shown_text}</title>"
                f'<rect x="{xs[column_index]}" y="{y_text}" {size} fill="{fill}" stroke="{WHITE}" stroke-width="1"/>'
                f'<text x="{centres_x[column_index]}" y="{middle_text}" fill="{text_colour_on(fill)}" '
                f'text-anchor="middle">{shown_text}</text></g>'
            )
    parts.append(_rect(left, top, grid_right - left, cell_height * len(rows), fill="none", stroke=GRID))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every caller text passed through escape()


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast between two "#rrggbb" colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@functools.lru_cache(maxsize=512)  # a matrix of many organisations repeats its few shades
def text_colour_on(fill: str) -> str:
    """White on dark cells, the page's text colour on light ones; black where neither reaches 4.5:1."""
    if contrast_ratio(fill, WHITE) >= 4.5:
        return WHITE
    if contrast_ratio(fill, TEXT) >= 4.5:
        return TEXT
    return "#000000"


def _matrix_summary(rows: list[str], columns: list[str], values: list[list[Value]]) -> str:
    cells = [
        (value, row, column)
        for row, row_values in zip(rows, values, strict=True)
        for column, value in zip(columns, row_values, strict=True)
        if _is_count(value)
    ]
    value, row, column = max(cells, key=lambda cell: cell[0], default=(0, "", ""))
    sizes = {"rows": len(rows), "columns": len(columns)}
    withheld = any(value is HIDDEN for row_values in values for value in row_values)
    if value < 5 and withheld:
        return _("Heat map of %(rows)s rows by %(columns)s columns, every count hidden or fewer than 5.") % sizes
    if value < 5:
        return _("Heat map of %(rows)s rows by %(columns)s columns, every count fewer than 5.") % sizes
    if withheld:  # a withheld count may be larger than any shown one
        return _(
            "Heat map of %(rows)s rows by %(columns)s columns; the largest count shown is %(value)s, "
            "from %(row)s to %(column)s."
        ) % {**sizes, "value": value, "row": row, "column": column}
    return _(
        "Heat map of %(rows)s rows by %(columns)s columns; the largest count is %(value)s, from %(row)s to %(column)s."
    ) % {**sizes, "value": value, "row": row, "column": column}


def _cell_text(value: Value) -> str:
    if value is HIDDEN:
        return hidden_text()
    if value is None:
        return suppressed_mark()
    return ZERO_CELL if value == 0 else str(value)


def _blend(light: str, dark: str, share: float) -> str:
    share = min(1.0, max(0.0, share))
    a, b = _rgb(light), _rgb(dark)
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
