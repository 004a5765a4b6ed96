"""Charts for the council's statistics, drawn as inline SVG on the server.

The statistics page and the quarterly PDF (WeasyPrint) embed the very same markup, so the two can
never disagree. Only the SVG that WeasyPrint understands is used: rect, line, path, text, g and
title, with explicit sizes and a viewBox; no CSS variables, filters, patterns or external references.

Values arrive already suppressed: an int; None for a count from 1 to 4, which is drawn as "<5"
and never as a bar or a point; or HIDDEN for a count withheld so that a small one cannot be worked
out from a total, which is drawn as neither a bar, a point nor "<5" (that would be false: it is
usually 5 or more) but as the word "hidden". Every text that comes from the caller is escaped before
the result is marked safe."""

import html
import math
import re

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from avvik.council.suppression import hidden_text, suppressed_mark

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

ZERO_CELL = "–"
ELLIPSIS = "…"
LABEL_CHARACTERS = 34  # longer labels are cut, with the full text in a <title>


# Okabe-Ito, ordered by contrast against white so that two or three series stay clearly visible.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#000000", "#CC79A7", "#E69F00", "#56B4E9")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")

MINIMUM_PLOT_HEIGHT = 100
COLUMN_ANGLE = 40  # degrees; column labels of the matrix rise to the right

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


class _Hidden:
    """The one value that stands for a count withheld to protect a small one (see the module docstring)."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = _Hidden()
Value = int | None | _Hidden


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


def escape(text: object) -> str:
    """HTML-escaped text, as django.utils.html.escape gives it, without its lazy wrapper: a matrix
    escapes a few thousand cell texts."""
    return html.escape(str(text))


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
    return suppressed_mark() if value is None else str(value)


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
