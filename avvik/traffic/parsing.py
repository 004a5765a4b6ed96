"""Reading an uploaded file of message events: CSV with a header in UTF-8 (with or without a byte-order
mark) or Windows-1252, separated by semicolons or commas. Cells stay text."""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from avvik.register.parsing import decode
from avvik.traffic.forms import EVENT_FIELDS

REQUIRED_COLUMNS = ("message_id", "kind", "happened_at")
# A file is read in one request; larger traffic goes through the API in batches.
MAX_ROWS = 10_000


@dataclass
class EventFile:
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    # What is wrong with the file as a whole: nothing of it is taken in.
    problem: str = ""
    # Lines that could not be read as rows, by line number.
    bad_lines: dict[int, str] = field(default_factory=dict)


def read_events(data: bytes) -> EventFile:
    try:
        text, _encoding = decode(data)
    except ValueError:
        return EventFile(problem=gettext("The file is neither UTF-8 nor Windows-1252 text."))
    if not text.strip():
        return EventFile(problem=gettext("The file is empty."))
    header_line = next(line for line in text.splitlines() if line.strip())
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return EventFile(
            problem=gettext("The header lacks the columns {columns}. Expected: {expected}.").format(
                columns=", ".join(missing), expected=", ".join(EVENT_FIELDS)
            )
        )
    parsed = EventFile()
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(parsed.rows) + len(parsed.bad_lines) >= MAX_ROWS:
                return EventFile(
                    problem=gettext(
                        "The file has more than {limit} rows. Split it, or send it through the API."
                    ).format(limit=MAX_ROWS)
                )
            if len(cells) != len(header):
                parsed.bad_lines[reader.line_num] = gettext(
                    "The line has {found} cells; the header has {expected}."
                ).format(found=len(cells), expected=len(header))
                continue
            parsed.rows.append(
                {name: cell.strip() for name, cell in zip(header, cells, strict=True) if name in EVENT_FIELDS}
            )
            parsed.lines.append(reader.line_num)
    except csv.Error as exc:
        return EventFile(problem=gettext("Line {line} cannot be read: {error}").format(line=reader.line_num, error=exc))
    return parsed
