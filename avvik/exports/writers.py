"""Writing an export's rows to a file on disk, one row at a time (memory stays flat however long
the list), every cell through avvik.core.exports.safe_cell."""

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from avvik.core.exports import safe_cell
from avvik.exports.choices import ExportFormat

# How often the worker notes its progress, in rows.
PROGRESS_EVERY = 500


def write_rows(
    rows: Iterable[Sequence[object]],
    path: Path,
    *,
    file_format: str,
    sheet: str,
    progress: Callable[[int], None],
) -> int:
    """Write the header and rows; `progress(n)` is told every PROGRESS_EVERY data rows. Returns the data rows."""
    if file_format == ExportFormat.XLSX:
        return _write_xlsx(rows, path, sheet=sheet, progress=progress)
    return _write_csv(rows, path, progress=progress)


def _write_xlsx(rows: Iterable[Sequence[object]], path: Path, *, sheet: str, progress: Callable[[int], None]) -> int:
    from openpyxl import Workbook  # loaded only when someone asks for a spreadsheet

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    written = -1  # the header is not a row of the list
    for row in rows:
        worksheet.append([safe_cell(value) for value in row])
        written += 1
        if written and written % PROGRESS_EVERY == 0:
            progress(written)
    workbook.save(path)
    return max(written, 0)


def _write_csv(rows: Iterable[Sequence[object]], path: Path, *, progress: Callable[[int], None]) -> int:
    written = -1
    # Semicolons and a byte-order mark, as the streamed CSV download (avvik.core.exports.csv_lines).
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
            written += 1
            if written and written % PROGRESS_EVERY == 0:
                progress(written)
    return max(written, 0)
