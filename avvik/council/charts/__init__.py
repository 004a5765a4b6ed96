"""Charts for the council, drawn as SVG on the server: the same markup on the statistics page and
in the PDF, no script, and the numbers in a table beneath each chart.

Values arrive already protected (avvik.council.disclosure): an int; None for a count from 1 to 4,
drawn as "<5"; or HIDDEN for a count withheld so that a small one cannot be worked out from a total.
"""

from avvik.council.charts.bars import bar_chart
from avvik.council.charts.drawing import (
    BAR_FILL,
    HIDDEN,
    PALETTE,
    SUPPRESSED_FILL,
    WHITE,
    Value,
    hidden_text,
    nice_ticks,
)
from avvik.council.charts.lines import line_chart
from avvik.council.charts.matrix import MATRIX_DARK, MATRIX_LIGHT, contrast_ratio, matrix_chart, text_colour_on

__all__ = [
    "BAR_FILL",
    "HIDDEN",
    "MATRIX_DARK",
    "MATRIX_LIGHT",
    "PALETTE",
    "SUPPRESSED_FILL",
    "WHITE",
    "Value",
    "bar_chart",
    "contrast_ratio",
    "hidden_text",
    "line_chart",
    "matrix_chart",
    "nice_ticks",
    "text_colour_on",
]
