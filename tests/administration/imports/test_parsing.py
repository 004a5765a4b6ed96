"""Reading a people file: CSV in its encodings and separators, XLSX, formula cells, broken files."""

import io
from pathlib import Path

from openpyxl import Workbook

from avvik.administration.imports.parsing import MAX_ROWS, read

SAMPLES = Path(__file__).resolve().parents[3] / "avvik" / "administration" / "samples"
HEADER = "e-post;navn;virksomhet;enhet;roller\r\n"
ROW = "åse.øye@kommune.test;Åse Øye;Testvik kommune;;Melder\r\n"


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_utf8_with_and_without_bom_and_windows_1252_read_the_same():
    texts = [
        (HEADER + ROW).encode("utf-8"),
        b"\xef\xbb\xbf" + (HEADER + ROW).encode("utf-8"),
        (HEADER + ROW).encode("cp1252"),
    ]
    for data in texts:
        people = read(data)
        assert people.errors == []
        assert [(r.email, r.name, r.organisation, r.roles) for r in people.rows] == [
            ("åse.øye@kommune.test", "Åse Øye", "Testvik kommune", "Melder")
        ]
    assert [read(data).encoding for data in texts] == ["UTF-8", "UTF-8 (BOM)", "Windows-1252"]


def test_commas_and_english_headers_are_read_and_lines_are_numbered():
    people = read(b'email,name,organisation,roles\n\nkari@test.no,Kari,Testvik kommune,"reporter,handler"\n')
    assert [(r.line, r.unit, r.roles) for r in people.rows] == [(3, "", "reporter,handler")]


def test_formula_cells_are_kept_as_text_and_marked():
    people = read((HEADER + '=HYPERLINK("x");Kari;Testvik kommune;;@SUM(A1)\r\n').encode())
    assert people.rows[0].formulas == ('=HYPERLINK("x")', "@SUM(A1)")


def test_a_file_without_the_columns_is_refused_as_a_whole():
    people = read(b"a;b;c\n1;2;3\n")
    assert people.rows == [] and "first line must name the columns" in people.errors[0]


def test_empty_binary_and_broken_spreadsheet_files_are_refused_with_a_message():
    assert read(b"  \n").errors == ["The file is empty."]
    assert "neither" in read("e-post\x00navn".encode("utf-16-le")).errors[0]
    assert "cannot be opened" in read(b"PK\x03\x04 not really a zip file").errors[0]


def test_too_many_rows_are_refused():
    data = (HEADER + ROW * (MAX_ROWS + 1)).encode()
    assert "more than" in read(data).errors[0]


def test_an_xlsx_file_is_read_with_numbers_as_text_and_formulas_never_evaluated():
    data = xlsx(
        [
            ["E-post", "Navn", "Virksomhet", "Enhet", "Roller"],
            ["kari@test.no", "Kari", 991001107, None, "Melder"],
            ["ola@test.no", "Ola", "=1+1", None, "Melder"],
        ]
    )
    people = read(data)
    assert people.encoding == "XLSX"
    assert people.rows[0].organisation == "991001107"
    assert people.rows[1].formulas == ("=1+1",)


def test_the_sample_files_read_without_errors_and_alike():
    csv_rows = read((SAMPLES / "personer-eksempel.csv").read_bytes()).rows
    xlsx_rows = read((SAMPLES / "personer-eksempel.xlsx").read_bytes()).rows
    assert len(csv_rows) == 5
    assert [(r.email, r.organisation, r.roles) for r in csv_rows] == [
        (r.email, r.organisation, r.roles) for r in xlsx_rows
    ]
