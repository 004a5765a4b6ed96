"""The one writer of the CSV and XLSX files the site hands out. Every cell goes through safe_cell(),
so text a person typed (a title, a file name) can never run as a formula in a spreadsheet."""

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse

# A cell starting with one of these would run as a formula (or hide one) in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe where a spreadsheet would read a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a streamed response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The rows as CSV lines (semicolons, as Norwegian spreadsheets expect), after a byte-order mark
    that lets spreadsheet programs detect UTF-8."""
    writer = csv.writer(_Echo(), delimiter=";")
    lines: Iterator[str] = (writer.writerow([safe_cell(value) for value in row]) for row in rows)
    return itertools.chain(["\ufeff"], lines)


def csv_response(rows: Iterable[Sequence[object]], filename: str) -> StreamingHttpResponse:
    """Streamed row by row: memory stays flat however long the list."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(rows: Iterable[Sequence[object]], filename: str, sheet: str) -> HttpResponse:
    """The same rows as a spreadsheet (openpyxl, write-only for large lists)."""
    from openpyxl import Workbook  # loaded only when someone asks for a spreadsheet

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    for row in rows:
        worksheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
