"""Reading register files: encodings, byte-order marks, formula-looking cells, malformed rows."""

import json

from avvik.register.parsing import parse
from tests.register.helpers import HEADER, csv_text

NAMES = csv_text(
    "8010001,,organisation,Demo sykehus HF,991000100,dialogue",
    "8010011,8010001,unit,Fjellstue for barn og unge (Æ Ø Å – søndre),,referral;dialogue",
)


def test_utf8_without_bom_is_read():
    parsed = parse(NAMES.encode("utf-8"))
    assert parsed.errors == []
    assert parsed.encoding == "UTF-8"
    assert parsed.rows[1].name == "Fjellstue for barn og unge (Æ Ø Å – søndre)"


def test_utf8_with_bom_is_read_and_the_bom_is_not_part_of_the_first_column():
    parsed = parse(b"\xef\xbb\xbf" + NAMES.encode("utf-8"))
    assert parsed.errors == []
    assert parsed.encoding == "UTF-8 (BOM)"
    assert [row.her_id for row in parsed.rows] == ["8010001", "8010011"]


def test_windows_1252_is_read():
    parsed = parse(NAMES.encode("cp1252"))
    assert parsed.errors == []
    assert parsed.encoding == "Windows-1252"
    assert parsed.rows[1].name == "Fjellstue for barn og unge (Æ Ø Å – søndre)"


def test_utf16_with_bom_is_read():
    parsed = parse(NAMES.encode("utf-16"))
    assert parsed.errors == []
    assert parsed.rows[1].name.endswith("søndre)")


def test_semicolon_separated_csv_from_a_norwegian_spreadsheet_is_read():
    text = (
        "her_id;parent_her_id;kind;name;org_number;receives\n"
        '8010001;;organisation;Demo sykehus HF;;"dialogue;referral"\n'
    )
    parsed = parse(text.encode("cp1252"))
    assert parsed.errors == []
    assert parsed.rows[0].receives == ("dialogue", "referral")


def test_formula_looking_cells_are_kept_as_text_with_a_warning():
    parsed = parse(
        csv_text(
            '8010001,,organisation,"=HYPERLINK(""http://x.example"",""klikk"")",,',
            "8010002,,organisation,+47 Legesenter,,",
            "8010003,,organisation,@SUM(A1),,",
            "8010004,,organisation,-1+2,,",
        ).encode()
    )
    assert parsed.errors == []
    assert [row.name for row in parsed.rows] == [
        '=HYPERLINK("http://x.example","klikk")',
        "+47 Legesenter",
        "@SUM(A1)",
        "-1+2",
    ]
    assert sorted(problem.line for problem in parsed.warnings) == [2, 3, 4, 5]


def test_malformed_rows_are_reported_with_their_line_numbers():
    parsed = parse(
        csv_text(
            "8010001,,organisation,Demo sykehus HF,991000100,dialogue",
            "80A0002,,organisation,Bokstav i HER-id,,",
            "8010003,,department,Feil type,,",
            "8010004,,organisation,,,",
            "8010005,,unit,Enhet uten forelder,,",
            "8010006,,organisation,For få celler",
            "8010007,,organisation,Feil orgnr,12345,",
            "8010001,,organisation,Samme HER-id igjen,,",
        ).encode()
    )
    assert sorted({problem.line for problem in parsed.errors}) == [3, 4, 5, 6, 7, 8, 9]
    assert [row.her_id for row in parsed.rows] == ["8010001", "8010001"]  # the twin is the error on line 9


def test_unknown_message_types_are_left_out_with_a_warning_and_parents_outside_the_file_warned():
    parsed = parse(csv_text("8010011,8019999,unit,Medisinsk avdeling,,referral;telegram").encode())
    assert parsed.errors == []
    assert parsed.rows[0].receives == ("referral",)
    assert len(parsed.warnings) == 2
    assert {problem.line for problem in parsed.warnings} == {2}


def test_a_header_without_the_required_columns_is_an_error():
    parsed = parse(b"id,navn\n8010001,Demo\n")
    assert len(parsed.errors) == 1
    assert parsed.errors[0].line == 1
    assert parsed.rows == []


def test_a_file_that_is_not_text_is_refused():
    parsed = parse(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) + HEADER.encode())
    assert len(parsed.errors) == 1
    assert parsed.rows == []


def test_json_with_entries_and_lists_is_read_and_bad_entries_are_numbered():
    document = {
        "entries": [
            {"her_id": "8010001", "kind": "organisation", "name": "Demo sykehus HF", "receives": ["dialogue"]},
            {"her_id": 8010011, "parent_her_id": "8010001", "kind": "unit", "name": "Medisinsk avdeling"},
            {"her_id": "x", "kind": "unit", "name": "Ødelagt"},
            "ikke et objekt",
        ]
    }
    parsed = parse(json.dumps(document, ensure_ascii=False).encode())
    assert [row.her_id for row in parsed.rows] == ["8010001", "8010011"]
    assert parsed.rows[0].receives == ("dialogue",)
    assert sorted({problem.line for problem in parsed.errors}) == [3, 4]


def test_broken_json_is_one_error():
    parsed = parse(b'[{"her_id": "8010001",')
    assert len(parsed.errors) == 1
    assert parsed.rows == []
