"""Reading a register file (docs/address-register.md): CSV with a header, or JSON, in UTF-8 with or
without a byte-order mark or in Windows-1252. Each row becomes a RegisterRow; what is wrong with a
row is a Problem with its line number. Cells are text and stay text: a cell that starts with =, +,
- or @ is stored as written and never evaluated."""

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from avvik.cases.choices import MessageType
from avvik.register.choices import EntryKind

COLUMNS = ("her_id", "parent_her_id", "kind", "name", "org_number", "receives")
REQUIRED_COLUMNS = ("her_id", "kind", "name")
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_NAME = 300
# Read once: an enum's values are built anew on every access, and a file has thousands of rows.
_KINDS = frozenset(EntryKind.values)
_MESSAGE_TYPES = frozenset(MessageType.values)


@dataclass(frozen=True)
class RegisterRow:
    """One well-formed row of a register file."""

    line: int
    her_id: str
    kind: str
    name: str
    parent_her_id: str = ""
    organisation_number: str = ""
    receives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Something wrong with a file or one of its rows. An error stops the import; a warning does not."""

    line: int | None
    message: str
    is_error: bool = True


@dataclass
class ParsedFile:
    rows: list[RegisterRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def decode(data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was read in: UTF-8 (with or without a byte-order
    mark), UTF-16 with a byte-order mark, else Windows-1252. Raises ValueError if none fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 (BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise ValueError(str(exc)) from exc


def parse(data: bytes) -> ParsedFile:
    """Every row of the file, and every problem with the file or its rows."""
    try:
        text, encoding = decode(data)
    except ValueError:
        return ParsedFile(
            problems=[Problem(None, gettext("The file is neither UTF-8 nor Windows-1252 text."))],
        )
    stripped = text.lstrip()
    if not stripped:
        return ParsedFile(problems=[Problem(None, gettext("The file is empty."))], encoding=encoding)
    parsed = _parse_json(stripped) if stripped[0] in "[{" else _parse_csv(text)
    parsed.encoding = encoding
    _check_file(parsed)
    return parsed


def _parse_csv(text: str) -> ParsedFile:
    parsed = ParsedFile()
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    # Spreadsheets set to Norwegian write semicolons between cells; the header tells which it is.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except (StopIteration, csv.Error):
        parsed.problems.append(Problem(1, gettext("The file has no header line.")))
        return parsed
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        parsed.problems.append(
            Problem(
                1,
                gettext("The header lacks the columns {columns}. Expected: {expected}.").format(
                    columns=", ".join(missing), expected=", ".join(COLUMNS)
                ),
            )
        )
        return parsed
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        parsed.problems.append(
            Problem(
                1,
                gettext("Unknown columns are ignored: {columns}.").format(columns=", ".join(unknown)),
                is_error=False,
            )
        )
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                parsed.problems.append(
                    Problem(
                        line,
                        gettext("The line has {found} cells; the header has {expected}.").format(
                            found=len(cells), expected=len(header)
                        ),
                    )
                )
                continue
            _add_row(parsed, line, dict(zip(header, cells, strict=True)))
    except csv.Error as exc:
        parsed.problems.append(Problem(reader.line_num, gettext("The line cannot be read: {error}").format(error=exc)))
    return parsed


def _parse_json(text: str) -> ParsedFile:
    parsed = ParsedFile()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        parsed.problems.append(Problem(exc.lineno, gettext("The JSON cannot be read: {error}").format(error=exc.msg)))
        return parsed
    entries = document.get("entries") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        parsed.problems.append(
            Problem(None, gettext("The JSON must be a list of entries, or an object with a list in “entries”."))
        )
        return parsed
    for number, item in enumerate(entries, start=1):
        if not isinstance(item, dict):
            parsed.problems.append(Problem(number, gettext("Entry {number} is not an object.").format(number=number)))
            continue
        receives = item.get("receives", "")
        if isinstance(receives, list):
            receives = ";".join(str(value) for value in receives)
        cells = {name: _cell_text(item.get(name)) for name in COLUMNS if name != "receives"}
        _add_row(parsed, number, {**cells, "receives": _cell_text(receives)})
    return parsed


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def _add_row(parsed: ParsedFile, line: int, cells: dict[str, str]) -> None:
    """Check one row's cells; add the row, or its errors. Warnings do not keep a row out."""
    values = {name: (cells.get(name) or "").strip() for name in COLUMNS}
    errors: list[str] = []
    her_id = values["her_id"]
    if not her_id:
        errors.append(gettext("The HER-id is missing."))
    elif not _is_her_id(her_id):
        errors.append(gettext("The HER-id “{value}” is not a number of up to nine digits.").format(value=her_id))
    parent = values["parent_her_id"]
    if parent and not _is_her_id(parent):
        errors.append(gettext("The parent HER-id “{value}” is not a number of up to nine digits.").format(value=parent))
    kind = values["kind"].lower()
    if kind not in _KINDS:
        errors.append(gettext("The kind “{value}” is neither “organisation” nor “unit”.").format(value=values["kind"]))
    name = values["name"]
    if not name:
        errors.append(gettext("The name is missing."))
    elif len(name) > MAX_NAME:
        errors.append(gettext("The name is longer than {most} characters.").format(most=MAX_NAME))
    org_number = values["org_number"].replace(" ", "")
    if org_number and not (org_number.isdigit() and len(org_number) == 9):
        errors.append(
            gettext("The organisation number “{value}” is not nine digits.").format(value=values["org_number"])
        )
    if kind == EntryKind.UNIT and not parent and not errors:
        errors.append(gettext("A unit needs the HER-id of the organisation it belongs to."))
    for message in errors:
        parsed.problems.append(Problem(line, message))
    if errors:
        return
    receives = []
    for value in (part.strip() for part in values["receives"].split(";")):
        if not value:
            continue
        if value in _MESSAGE_TYPES:
            receives.append(value)
        else:
            parsed.problems.append(
                Problem(
                    line,
                    gettext("The message type “{value}” is not known and is left out.").format(value=value),
                    is_error=False,
                )
            )
    for text in _formula_like(values.values()):
        parsed.problems.append(
            Problem(
                line,
                gettext("“{value}” looks like a spreadsheet formula; it is kept as text.").format(value=text),
                is_error=False,
            )
        )
    parsed.rows.append(
        RegisterRow(
            line=line,
            her_id=her_id,
            kind=kind,
            name=name,
            parent_her_id=parent,
            organisation_number=org_number,
            receives=tuple(dict.fromkeys(receives)),
        )
    )


def _is_her_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 9


def _formula_like(values: Iterable[str]) -> list[str]:
    return [value for value in values if value.startswith(FORMULA_STARTS)]


def _check_file(parsed: ParsedFile) -> None:
    """Problems across rows: a HER-id twice, a parent that is not in the file."""
    seen: dict[str, int] = {}
    for row in parsed.rows:
        if row.her_id in seen:
            parsed.problems.append(
                Problem(
                    row.line,
                    gettext("The HER-id {her_id} is also on line {line}.").format(
                        her_id=row.her_id, line=seen[row.her_id]
                    ),
                )
            )
        else:
            seen[row.her_id] = row.line
    for row in parsed.rows:
        if row.parent_her_id and row.parent_her_id not in seen:
            parsed.problems.append(
                Problem(
                    row.line,
                    gettext("The parent HER-id {her_id} is not in the file.").format(her_id=row.parent_her_id),
                    is_error=False,
                )
            )
    parsed.problems.sort(key=lambda p: (p.line or 0, not p.is_error))
