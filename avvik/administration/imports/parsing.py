"""Reading a people file: CSV (UTF-8 with or without a byte-order mark, UTF-16, Windows-1252;
comma or semicolon) or XLSX (the first sheet). Every cell is text; a cell that starts with =, +,
- or @ is refused, never evaluated, because a spreadsheet opening it again would run it."""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from avvik.register.parsing import decode

FORMULA_STARTS = ("=", "+", "-", "@")
MAX_ROWS = 10_000
XLSX_MAGIC = b"PK\x03\x04"
# The header names we accept for each column, in English and Norwegian (lower case).
HEADERS = {
    "email": ("e-mail", "email", "e-post", "epost", "e-postadresse"),
    "name": ("name", "full name", "navn", "namn", "fullt navn", "fullt namn"),
    "organisation": ("organisation", "organization", "organisasjon", "virksomhet", "verksemd"),
    "unit": ("unit", "enhet", "eining", "avdeling"),
    "roles": ("roles", "role", "roller", "rolle", "rolle(r)", "role(s)"),
}
REQUIRED = ("email", "name", "organisation", "roles")


@dataclass(frozen=True)
class PersonRow:
    """One row of a people file, as written."""

    line: int
    email: str
    name: str
    organisation: str
    unit: str
    roles: str
    formulas: tuple[str, ...] = ()
    # More cells than the header names: usually roles separated by the file's own separator.
    extra_cells: bool = False


@dataclass
class PeopleFile:
    rows: list[PersonRow] = field(default_factory=list)
    # What keeps the whole file out (not readable, no header, too many rows).
    errors: list[str] = field(default_factory=list)
    encoding: str = ""


def read(data: bytes) -> PeopleFile:
    """The rows of a CSV or XLSX file, or why it cannot be read."""
    if not data.strip():
        return PeopleFile(errors=[gettext("The file is empty.")])
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data)
    try:
        text, encoding = decode(data)
    except ValueError:
        return PeopleFile(errors=[gettext("The file is neither a spreadsheet (XLSX) nor CSV text.")])
    if "\x00" in text:
        return PeopleFile(errors=[gettext("The file is neither a spreadsheet (XLSX) nor CSV text.")])
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Spreadsheets set to Norwegian write semicolons between cells; the header tells which it is.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        return PeopleFile(errors=[gettext("The file cannot be read as CSV: {error}").format(error=exc)])
    people = _rows(table)
    people.encoding = encoding
    return people


def _read_xlsx(data: bytes) -> PeopleFile:
    # Imported here: openpyxl is large, and most uploads are CSV.
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula cell reads as its formula text and is refused below, rather
        # than passing silently as the value a spreadsheet last computed for it.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        return PeopleFile(errors=[gettext("The spreadsheet cannot be opened; save it again as XLSX.")])
    try:
        sheet = book.worksheets[0]
        table = []
        for values in sheet.iter_rows(values_only=True):
            table.append([_cell_text(value) for value in values])
            if len(table) > MAX_ROWS + 1:
                break
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError):
        return PeopleFile(errors=[gettext("The spreadsheet cannot be opened; save it again as XLSX.")])
    finally:
        book.close()
    people = _rows(table)
    people.encoding = "XLSX"
    return people


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # An organisation number typed into a spreadsheet becomes a number.
        return str(int(value))
    return str(value)


def _column_of(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = cell.strip().lower()
        for column, names in HEADERS.items():
            if name in names and column not in found:
                found[column] = index
    return found


def _rows(table: list[list[str]]) -> PeopleFile:
    people = PeopleFile()
    numbered = [(number, cells) for number, cells in enumerate(table, start=1) if any(c.strip() for c in cells)]
    if not numbered:
        people.errors.append(gettext("The file is empty."))
        return people
    header = numbered[0][1]
    columns = _column_of(header)
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        people.errors.append(
            gettext("The first line must name the columns: e-mail, name, organisation, unit (optional) and roles.")
        )
        return people
    if len(numbered) - 1 > MAX_ROWS:
        people.errors.append(
            gettext("The file has more than {most} rows; split it into smaller files.").format(most=MAX_ROWS)
        )
        return people
    for line, cells in numbered[1:]:
        values = {column: (cells[index] if index < len(cells) else "").strip() for column, index in columns.items()}
        formulas = tuple(value for value in values.values() if value.startswith(FORMULA_STARTS))
        people.rows.append(
            PersonRow(
                line=line,
                email=values["email"],
                name=values["name"],
                organisation=values["organisation"],
                unit=values.get("unit", ""),
                roles=values["roles"],
                formulas=formulas,
                extra_cells=any(cell.strip() for cell in cells[len(header) :]),
            )
        )
    return people
