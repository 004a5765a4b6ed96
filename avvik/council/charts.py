"""Charts for the council's statistics, drawn as inline SVG on the server.

The statistics page and the quarterly PDF (WeasyPrint) embed the very same markup, so the two can
never disagree. Only the SVG that WeasyPrint understands is used: rect, line, path, text, g and
title, with explicit sizes and a viewBox; no CSS variables, filters, patterns or external references.

Values arrive already suppressed: an int; None for a count from 1 to 4, which is drawn as "<5"
and never as a bar or a point; or HIDDEN for a count withheld so that a small one cannot be worked
out from a total, which is drawn as neither a bar, a point nor "<5" (that would be false: it is
usually 5 or more) but as the word "hidden". Every text that comes from the caller is escaped before
the result is marked safe."""

import math
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT_FAMILY = "DejaVu Sans, sans-serif"


FONT_SIZE = 12


SMALL_FONT_SIZE = 11


TEXT = "#212529"


MUTED_TEXT = "#495057"  # 8.2:1 on white


GRID = "#dee2e6"


AXIS = "#868e96"


SUPPRESSED_FILL = "#dee2e6"


WHITE = "#ffffff"


BAR_FILL = "#0072B2"


SUPPRESSED = "<5"


ZERO_CELL = "–"


ELLIPSIS = "…"


LABEL_CHARACTERS = 34  # longer labels are cut, with the full text in a <title>


# Okabe-Ito, ordered by contrast against white so that two or three series stay clearly visible.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#000000", "#CC79A7", "#E69F00", "#56B4E9")


DASHES = ("", "6 3", "2 3", "8 3 2 3")


MARKERS = ("circle", "square", "triangle", "diamond")


MATRIX_LIGHT = "#f1f5fb"


MATRIX_DARK = "#08519c"


MINIMUM_PLOT_HEIGHT = 100


COLUMN_ANGLE = 40  # degrees; column labels of the matrix rise to the right


_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


class _Hidden:
    """The one value that stands for a count withheld to protect a small one (see the module docstring)."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = _Hidden()


Value = int | None | _Hidden


def hidden_text() -> str:
    """The mark for a withheld count, in the active language; the page and the PDF write the same word."""
    return _("hidden")


# Advance widths of DejaVu Sans in thousandths of an em, for the characters from " " to "~".
# Browsers without DejaVu fall back to narrower fonts, so these estimates err on the roomy side.
_ASCII_WIDTHS = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 636 636 "
    "337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 603 787 695 635 "
    "611 732 684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 634 278 278 579 278 974 "
    "634 612 635 635 411 521 392 634 592 818 592 592 525 636 337 636 838"
)


_WIDTHS = {chr(32 + index): int(width) for index, width in enumerate(_ASCII_WIDTHS.split())}


_WIDTHS.update({"æ": 982, "ø": 612, "å": 613, "Æ": 974, "Ø": 787, "Å": 684, "–": 500, "—": 1000, ELLIPSIS: 1000})


_DEFAULT_WIDTH = 700


_BOLD_FACTOR = 1.1


def nice_ticks(maximum: int, count: int = 5) -> list[int]:
    """Gridline values from 0 up to at least `maximum`, in steps of 1, 2 or 5 times a power of ten.

    The step is the smallest one that needs no more than `count` intervals, which gives three to
    `count` intervals: 37 -> [0, 10, 20, 30, 40], 100 -> [0, 20, 40, 60, 80, 100], 0 -> [0, 1].
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    if maximum <= 0:
        return [0, 1]
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            intervals = math.ceil(maximum / step)
            if intervals <= count:
                return [step * index for index in range(intervals + 1)]
        magnitude *= 10


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
    for row_index, (label, shown) in enumerate(zip(rows, row_labels, strict=True)):
        y = top + row_index * cell_height
        middle = y + cell_height / 2 + _baseline_shift(FONT_SIZE)
        parts.append("<g>")
        parts.append(_title(label))
        parts.append(_text(left - 8, middle, shown, anchor="end"))
        parts.append("</g>")
        for column_index, column in enumerate(columns):
            value = values[row_index][column_index]
            text = texts[row_index][column_index]
            x = left + column_index * cell_width
            if value is None:
                fill = SUPPRESSED_FILL
            elif value is HIDDEN:
                fill = WHITE  # no shade: a withheld count must not hint at its size
            else:
                fill = _blend(MATRIX_LIGHT, MATRIX_DARK, value / largest if largest else 0)
            parts.append("<g>")
            parts.append(_title(f"{label} → {column}: {text}"))
            parts.append(_rect(x, y, cell_width, cell_height, fill=fill, stroke=WHITE))
            parts.append(_text(x + cell_width / 2, middle, text, anchor="middle", fill=text_colour_on(fill)))
            parts.append("</g>")
    parts.append(_rect(left, top, grid_right - left, cell_height * len(rows), fill="none", stroke=GRID))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every caller text passed through escape()


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast between two "#rrggbb" colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(fill: str) -> str:
    """White on dark cells, the page's text colour on light ones; black where neither reaches 4.5:1."""
    if contrast_ratio(fill, WHITE) >= 4.5:
        return WHITE
    if contrast_ratio(fill, TEXT) >= 4.5:
        return TEXT
    return "#000000"


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


def _line_summary(names: list[str], labels: list[str]) -> str:
    return _("Line chart of %(series)s from %(first)s to %(last)s.") % {
        "series": ", ".join(names),
        "first": labels[0],
        "last": labels[-1],
    }


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


def _check_id(id_: str) -> None:
    if not _ID.fullmatch(id_):
        raise ValueError(f"chart id must start with a letter and hold only letters, digits, - and _: {id_!r}")


def _open(*, id: str, title: str, description: str, width: float, height: float, kind: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{id}" class="chart chart-{kind}" '
        f'width="{_num(width)}" height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" fill="{TEXT}">'
        f'<title id="{id}-title">{escape(title)}</title>'
        f'<desc id="{id}-desc">{escape(description)}</desc>'
    )


def _no_data(*, id: str, title: str, width: float, height: float, kind: str) -> SafeString:
    message = _("No data")
    markup = _open(id=id, title=title, description=message, width=width, height=height, kind=kind)
    markup += _rect(0.5, 0.5, width - 1, height - 1, fill="none", stroke=GRID)
    markup += _text(width / 2, height / 2 + _baseline_shift(FONT_SIZE), message, anchor="middle", fill=MUTED_TEXT)
    return mark_safe(markup + "</svg>")  # noqa: S308 - the title and message passed through escape()


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = FONT_SIZE,
    weight: str = "",
    fill: str = TEXT,
    transform: str = "",
) -> str:
    attributes = f'x="{_num(x)}" y="{_num(y)}" fill="{fill}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if size != FONT_SIZE:
        attributes += f' font-size="{size}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    if transform:
        attributes += f' transform="{transform}"'
    return f"<text {attributes}>{escape(text)}</text>"


def _rect(x: float, y: float, width: float, height: float, *, fill: str, stroke: str = "") -> str:
    outline = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
    return f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" height="{_num(height)}" fill="{fill}"{outline}/>'


def _line(x1: float, y1: float, x2: float, y2: float, *, stroke: str) -> str:
    return f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" stroke="{stroke}" stroke-width="1"/>'


def _marker(shape: str, x: float, y: float, colour: str, *, size: float = 4.5, hollow: bool = False) -> str:
    """A point marker; its shape tells the series apart where colour cannot."""
    fill, stroke = (WHITE, colour) if hollow else (colour, WHITE)
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{1.5 if hollow else 1}"'
    if shape == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(size)}" {paint}/>'
    if shape == "square":
        side, corner = _num(size * 1.7), (_num(x - size * 0.85), _num(y - size * 0.85))
        return f'<rect x="{corner[0]}" y="{corner[1]}" width="{side}" height="{side}" {paint}/>'
    if shape == "triangle":
        r = size * 1.25
        points = [(x, y - r), (x + r * 0.9, y + r * 0.6), (x - r * 0.9, y + r * 0.6)]
    else:
        r = size * 1.3
        points = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    d = "M" + " L".join(f"{_num(px)} {_num(py)}" for px, py in points) + " Z"
    return f'<path d="{d}" {paint}/>'


def _legend(names: list[str], *, x: float, y: float, width: float) -> tuple[list[str], float]:
    """Legend items (line sample, marker, name) flowing left to right and wrapping."""
    parts, cursor_x, cursor_y, line_height = [], x, y, FONT_SIZE + 8
    for index, name in enumerate(names):
        shown = _fit(name, width - 40)
        item_width = 30 + _text_width(shown) + 18
        if cursor_x > x and cursor_x + item_width > x + width:
            cursor_x, cursor_y = x, cursor_y + line_height
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[index % len(DASHES)]
        middle = cursor_y + line_height / 2
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append("<g>")
        parts.append(_title(name))
        parts.append(
            f'<line x1="{_num(cursor_x)}" y1="{_num(middle)}" x2="{_num(cursor_x + 24)}" y2="{_num(middle)}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attribute}/>'
        )
        parts.append(_marker(MARKERS[index % len(MARKERS)], cursor_x + 12, middle, colour))
        parts.append(_text(cursor_x + 30, middle + _baseline_shift(FONT_SIZE), shown))
        parts.append("</g>")
        cursor_x += item_width
    return parts, cursor_y + line_height - y


def _spread(labels: list[tuple[float, str]], *, minimum_gap: float, low: float, high: float) -> list[tuple[float, str]]:
    """Move end labels apart vertically so that none overlaps another, keeping them inside [low, high]."""
    placed = sorted(labels)
    for index in range(1, len(placed)):
        if placed[index][0] - placed[index - 1][0] < minimum_gap:
            placed[index] = (placed[index - 1][0] + minimum_gap, placed[index][1])
    overflow = placed[-1][0] - high if placed else 0
    if overflow > 0:
        placed = [(y - overflow, text) for y, text in placed]
    return [(max(y, low), text) for y, text in placed]


def _is_count(value: Value) -> bool:
    return value is not None and value is not HIDDEN


def _value_text(value: Value) -> str:
    if value is HIDDEN:
        return hidden_text()
    return SUPPRESSED if value is None else str(value)


def _cell_text(value: Value) -> str:
    if value is HIDDEN:
        return hidden_text()
    if value is None:
        return SUPPRESSED
    return ZERO_CELL if value == 0 else str(value)


def _fit(label: str, room: float, size: int = FONT_SIZE) -> str:
    """The label cut to LABEL_CHARACTERS and to `room` pixels, with an ellipsis where it was cut."""
    label = " ".join(str(label).split())
    if len(label) > LABEL_CHARACTERS:
        label = label[: LABEL_CHARACTERS - 1].rstrip() + ELLIPSIS
    while _text_width(label, size) > room and len(label) > 2:
        label = label[:-2].rstrip() + ELLIPSIS
    return label


def _text_width(text: str, size: int = FONT_SIZE, bold: bool = False) -> float:
    """Estimated width in pixels of a text in DejaVu Sans."""
    thousandths = sum(_WIDTHS.get(character, _DEFAULT_WIDTH) for character in text)
    return thousandths * size / 1000 * (_BOLD_FACTOR if bold else 1)


def _baseline_shift(size: int) -> float:
    """From an intended vertical centre to the baseline; dominant-baseline is not reliable in WeasyPrint."""
    return size * 0.36


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


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
