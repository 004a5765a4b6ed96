"""The statistics page's matrix table made in Python: a partnership of 30 organisations has 900
cells, and a template loop resolves, converts and escapes each of them one by one."""

from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from avvik.council.disclosure import MatrixRow

register = template.Library()


@register.simple_tag
def matrix_rows(cells: Iterable[MatrixRow]) -> SafeString:
    """One table row per reporting organisation: its name as the row's header, then its counts as
    the reader may see them (a number, "<5" or "hidden")."""
    cell_markup: dict[str, str] = {}  # a matrix repeats a few texts ("0", "<5", small numbers)
    parts: list[str] = []
    for row in cells:
        parts.append(f'<tr><th scope="row">{escape(row.label)}</th>')
        for count in row.counts:
            text = str(count)
            if text not in cell_markup:
                cell_markup[text] = f"<td>{escape(text)}</td>"
            parts.append(cell_markup[text])
        parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above passed through escape()
