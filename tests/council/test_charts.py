"""The statistics charts: well-formed SVG, honest numbers, small counts hidden, caller text escaped, and
the same markup rendering in WeasyPrint for the quarterly report."""

import logging
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from avvik.council import charts

SVG = "{http://www.w3.org/2000/svg}"
QUARTERS = [f"{year} K{quarter}" for year in (2024, 2025) for quarter in (1, 2, 3, 4)]
ORGANISATIONS = ["Universitetssykehuset Nord-Norge HF", "Tromsø kommune", "Balsfjord kommune"]
HOSTILE = '<script>alert("x")</script> & Co'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, parsed to check it


def texts(root: ET.Element) -> list[str]:
    """What the chart writes on the canvas (not the <title> tooltips)."""
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") == charts.BAR_FILL]


def some_bar_chart(**overrides) -> str:
    arguments = {
        "id": "by-category",
        "title": "Deviations by category",
        "labels": ["Medication", "Discharge", "Aids", "Other"],
        "values": [40, 20, None, 0],
    }
    return charts.bar_chart(**(arguments | overrides))


def some_line_chart(**overrides) -> str:
    arguments = {
        "id": "trend",
        "title": "Trend over eight quarters",
        "labels": QUARTERS,
        "series": {
            "Reported": [12, 18, None, 25, 31, 28, 35, 37],
            "Closed": [8, 15, 17, 20, 26, 30, 29, 33],
        },
    }
    return charts.line_chart(**(arguments | overrides))


def some_matrix_chart(**overrides) -> str:
    arguments = {
        "id": "flows",
        "title": "Reporting to responsible organisation",
        "rows": ORGANISATIONS,
        "columns": ORGANISATIONS,
        "values": [[0, 120, 14], [85, 0, None], [40, 6, 0]],
    }
    return charts.matrix_chart(**(arguments | overrides))


ALL_CHARTS = [some_bar_chart, some_line_chart, some_matrix_chart]


# Structure and accessibility


@pytest.mark.parametrize(
    "chart",
    [
        *ALL_CHARTS,
        lambda: some_bar_chart(labels=[], values=[]),
        lambda: some_line_chart(labels=[], series={}),
        lambda: some_matrix_chart(rows=[], columns=[], values=[]),
    ],
)
def test_every_chart_is_well_formed_svg_with_a_size_and_a_viewbox(chart):
    root = parse(chart())
    assert root.tag == f"{SVG}svg"
    width, height = float(root.get("width")), float(root.get("height"))
    assert width > 0
    assert height > 0
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert root.get("font-family") == "DejaVu Sans, sans-serif"


@pytest.mark.parametrize("chart", ALL_CHARTS)
def test_every_chart_is_an_image_labelled_by_its_title_and_described_in_one_sentence(chart):
    root = parse(chart())
    assert root.get("role") == "img"
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    title = by_id[root.get("aria-labelledby")]
    assert title.tag == f"{SVG}title"
    assert title.text
    description = by_id[root.get("aria-describedby")]
    assert description.tag == f"{SVG}desc"
    assert description.text.endswith(".")


def test_the_title_is_the_one_the_caller_gave():
    root = parse(some_bar_chart(title="Avvik etter kategori, 2025 K3"))
    title = next(element for element in root.iter(f"{SVG}title") if element.get("id") == "by-category-title")
    assert title.text == "Avvik etter kategori, 2025 K3"


def test_a_given_description_is_used_word_for_word():
    root = parse(some_line_chart(description="Reported deviations rose every quarter."))
    assert root.find(f"{SVG}desc").text == "Reported deviations rose every quarter."


def test_ids_derive_from_the_id_argument_and_stay_unique_with_several_charts_on_one_page():
    page = "<div>" + some_bar_chart(id="chart-a") + some_bar_chart(id="chart-b") + some_matrix_chart() + "</div>"
    ids = [element.get("id") for element in parse(page).iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert {"chart-a", "chart-a-title", "chart-a-desc", "chart-b", "chart-b-title", "chart-b-desc"} <= set(ids)
    assert all(identifier.startswith(("chart-a", "chart-b", "flows")) for identifier in ids)


@pytest.mark.parametrize("bad_id", ["", "1chart", 'x" onload="alert(1)', "a b"])
def test_an_id_that_is_not_a_plain_name_is_refused(bad_id):
    with pytest.raises(ValueError, match="id"):
        some_bar_chart(id=bad_id)


# Escaping: names come from the database and are typed by users


@pytest.mark.parametrize(
    "chart",
    [
        lambda: some_bar_chart(title=HOSTILE, labels=[HOSTILE, "B"], values=[7, None], description=HOSTILE),
        lambda: some_line_chart(title=HOSTILE, labels=[HOSTILE, "2025 K2"], series={HOSTILE: [5, None], "B": [6, 7]}),
        lambda: some_matrix_chart(title=HOSTILE, rows=[HOSTILE], columns=[HOSTILE, "B"], values=[[5, None]]),
    ],
)
def test_names_with_markup_are_escaped_and_never_reach_the_page_as_a_script(chart):
    svg = chart()
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert "& Co" not in svg
    root = parse(svg)  # still well-formed, so nothing broke out of an attribute or element
    assert root.find(f"{SVG}title").text == HOSTILE
    assert any(HOSTILE in title.text for title in list(root.iter(f"{SVG}title"))[1:] if title.text)
    assert root.find(f".//{SVG}script") is None


# Bar chart


def test_bars_carry_their_values_as_text():
    root = parse(some_bar_chart())
    assert {"40", "20", "0", "<5"} <= set(texts(root))
    assert {"Medication", "Discharge", "Aids", "Other"} <= set(texts(root))


def test_a_suppressed_value_shows_less_than_five_and_only_a_short_grey_stub():
    root = parse(some_bar_chart(labels=["Aids"], values=[None]))
    assert "<5" in texts(root)
    assert bars(root) == []
    stubs = [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") == charts.SUPPRESSED_FILL]
    assert len(stubs) == 1
    assert float(stubs[0].get("width")) <= 6


def test_a_suppressed_value_never_reveals_a_number_below_five():
    root = parse(some_bar_chart(labels=["Aids", "Other"], values=[None, 12]))
    numbers = re.findall(r"\d+", " ".join(texts(root) + [title.text for title in root.iter(f"{SVG}title")]))
    assert sorted(numbers) == ["12", "12", "5", "5"]  # "<5" and 12, on the canvas and in the tooltips


def test_a_withheld_value_gets_neither_a_bar_nor_a_stub_nor_less_than_five_but_the_word_hidden():
    with translation.override("en"):
        root = parse(some_bar_chart(labels=["Aids", "Other", "Medication"], values=[None, charts.HIDDEN, 30]))
    assert texts(root).count("<5") == 1 and texts(root).count("hidden") == 1
    assert len(bars(root)) == 1  # only the 30
    stubs = [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") == charts.SUPPRESSED_FILL]
    assert len(stubs) == 1  # only the "<5"
    tooltips = [title.text for title in root.iter(f"{SVG}title")]
    assert "Other: hidden" in tooltips and "Aids: <5" in tooltips


def test_a_chart_of_only_small_and_withheld_values_says_so_in_its_description():
    with translation.override("en"):
        root = parse(some_bar_chart(labels=["A", "B"], values=[None, charts.HIDDEN]))
    assert root.find(f"{SVG}desc").text == "Bar chart of 2 categories, each hidden or fewer than 5."


def test_zero_gets_no_bar_but_the_text_zero():
    root = parse(some_bar_chart(labels=["Aids", "Other"], values=[0, 10]))
    assert len(bars(root)) == 1
    assert "0" in texts(root)


def test_all_zero_values_draw_the_rows_without_dividing_by_zero():
    root = parse(some_bar_chart(labels=["A", "B"], values=[0, 0]))
    assert bars(root) == []
    assert texts(root).count("0") == 2


def test_an_empty_bar_chart_says_there_is_no_data():
    with translation.override("en"):
        root = parse(some_bar_chart(labels=[], values=[]))
    assert texts(root) == ["No data"]


def test_the_largest_bar_fills_the_plot_area_and_the_others_are_in_proportion():
    first = bars(parse(some_bar_chart(values=[40, 20, None, 0])))
    second = bars(parse(some_bar_chart(values=[90, 10, None, 0])))
    widths = [float(bar.get("width")) for bar in first]
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.1)
    # Whatever the largest value is, its bar takes the same full length.
    assert float(second[0].get("width")) == pytest.approx(widths[0], abs=0.1)
    # ... which reaches all the way to the room kept for the value text at the right.
    root = parse(some_bar_chart(values=[40, 20, None, 0]))
    right_edge = float(first[0].get("x")) + widths[0]
    assert float(root.get("width")) - right_edge < 40
    assert widths[0] > float(root.get("width")) / 2


def test_a_long_label_is_cut_with_an_ellipsis_and_kept_whole_in_a_tooltip():
    label = "Samarbeid om pasientforløp i helsefellesskapet Nord, del to"
    root = parse(some_bar_chart(labels=[label], values=[9]))
    shown = next(text for text in texts(root) if text.startswith("Samarbeid"))
    assert shown.endswith("…")
    assert len(shown) <= 34
    assert f"{label}: 9" in [title.text for title in root.iter(f"{SVG}title")]


def test_a_bar_chart_refuses_values_that_do_not_match_the_labels():
    with pytest.raises(ValueError, match="one value per label"):
        some_bar_chart(labels=["A"], values=[1, 2])


# Line chart


def test_the_y_axis_starts_at_zero_on_round_gridlines():
    root = parse(some_line_chart())
    numbers = [text for text in texts(root) if text.isdigit()]
    assert numbers[:5] == ["0", "10", "20", "30", "40"]  # the ticks come first, then the end labels
    assert numbers[5:] == ["37", "33"]


def test_each_series_has_point_markers_and_its_last_value_written_beside_the_last_point():
    root = parse(some_line_chart())
    markers = [
        element
        for element in root.iter()
        if element.tag in {f"{SVG}circle", f"{SVG}rect", f"{SVG}path"} and element.get("fill") in charts.PALETTE
    ]
    assert len(markers) >= 7 + 8  # one per shown point, plus the legend samples
    assert {"37", "33"} <= set(texts(root))


def test_a_suppressed_point_breaks_the_line_and_shows_less_than_five():
    root = parse(some_line_chart(series={"Reported": [12, 18, None, 25, 31, 28, 35, 37]}))
    line = next(path for path in root.iter(f"{SVG}path") if path.get("fill") == "none")
    assert line.get("d").count("M") == 2
    assert "<5" in texts(root)


def test_a_suppressed_value_lifts_the_axis_to_five_so_less_than_five_fits_beneath_it():
    root = parse(some_line_chart(labels=["2025 K1", "2025 K2"], series={"Reported": [None, 0]}))
    assert "5" in texts(root)
    assert "<5" in texts(root)


def test_a_withheld_point_breaks_the_line_and_says_hidden_without_lifting_the_axis():
    with translation.override("en"):
        root = parse(some_line_chart(labels=["2025 K1", "2025 K2", "2025 K3"], series={"New": [1, charts.HIDDEN, 2]}))
    line = next(path for path in root.iter(f"{SVG}path") if path.get("fill") == "none")
    assert line.get("d").count("M") == 2
    assert "hidden" in texts(root) and "<5" not in texts(root)
    assert "New, 2025 K2: hidden" in [title.text for title in root.iter(f"{SVG}title")]
    assert "5" not in texts(root)  # nothing says the withheld value is about 5


def test_a_legend_appears_only_with_more_than_one_series():
    with_two = texts(parse(some_line_chart()))
    with_one = texts(parse(some_line_chart(series={"Reported": [1, 2, 3, 4, 5, 6, 7, 8]})))
    assert {"Reported", "Closed"} <= set(with_two)
    assert "Reported" not in with_one


def test_many_long_period_labels_are_tilted_rather_than_overlapping():
    months = [f"{name} 2025" for name in ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august")]
    root = parse(some_line_chart(labels=months, series={"Reported": list(range(10, 18))}, width=400))
    tilted = [text for text in root.iter(f"{SVG}text") if text.text in months]
    assert len(tilted) == 8
    assert all("rotate(-40" in text.get("transform", "") for text in tilted)


def test_an_empty_line_chart_says_there_is_no_data():
    with translation.override("en"):
        assert texts(parse(some_line_chart(series={}))) == ["No data"]


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="Closed"):
        some_line_chart(series={"Closed": [1, 2]})


# Matrix chart


def test_each_cell_shows_its_count_less_than_five_or_a_dash_for_zero():
    root = parse(some_matrix_chart())
    assert {"120", "14", "85", "40", "6", "<5", "–"} <= set(texts(root))
    assert texts(root).count("–") == 3


def test_the_largest_cell_is_darkest_and_an_empty_one_lightest():
    root = parse(some_matrix_chart())
    fills = {rect.get("fill") for rect in root.iter(f"{SVG}rect")}
    assert charts.MATRIX_DARK in fills
    assert charts.MATRIX_LIGHT in fills


@pytest.mark.parametrize("value", range(0, 101, 5))
def test_cell_text_keeps_a_contrast_of_at_least_four_and_a_half_to_one(value):
    root = parse(some_matrix_chart(rows=["A"], columns=["B", "C"], values=[[value, 100]]))
    cell = next(group for group in root.iter(f"{SVG}g") if group.find(f"{SVG}rect") is not None)
    fill = cell.find(f"{SVG}rect").get("fill")
    colour = cell.find(f"{SVG}text").get("fill")
    assert charts.contrast_ratio(fill, colour) >= 4.5


def test_long_column_names_are_tilted_and_the_canvas_grows_to_hold_them():
    short = parse(some_matrix_chart(rows=["A"], columns=["B"], values=[[5]]))
    long = parse(some_matrix_chart(rows=["A"], columns=ORGANISATIONS[:1], values=[[5]]))
    label = next(text for text in long.iter(f"{SVG}text") if text.text.startswith("Universitets"))
    assert "rotate(-40" in label.get("transform")
    assert float(long.get("height")) > float(short.get("height")) + 50
    assert float(long.get("width")) > float(short.get("width")) + 100


def test_each_cell_names_its_row_and_column_in_a_tooltip():
    root = parse(some_matrix_chart())
    tooltips = [title.text for title in root.iter(f"{SVG}title")]
    assert "Tromsø kommune → Balsfjord kommune: <5" in tooltips


def test_a_withheld_cell_is_white_says_hidden_and_names_its_pair():
    with translation.override("en"):
        root = parse(some_matrix_chart(values=[[0, 120, 14], [85, 0, None], [charts.HIDDEN, 6, 0]]))
        description = root.find(f"{SVG}desc").text
    cell = next(
        group
        for group in root.iter(f"{SVG}g")
        if group.find(f"{SVG}title").text == "Balsfjord kommune → Universitetssykehuset Nord-Norge HF: hidden"
    )
    assert cell.find(f"{SVG}rect").get("fill") == charts.WHITE
    assert cell.find(f"{SVG}text").text == "hidden"
    assert charts.contrast_ratio(charts.WHITE, cell.find(f"{SVG}text").get("fill")) >= 4.5
    # A withheld count may be larger than any shown, so the description does not call 120 the largest.
    assert "largest count shown is 120" in description


def test_a_ragged_matrix_is_refused():
    with pytest.raises(ValueError, match="one value per column"):
        some_matrix_chart(values=[[1, 2, 3], [1, 2], [1, 2, 3]])


# Round steps


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (37, [0, 10, 20, 30, 40]),
        (0, [0, 1]),
        (-3, [0, 1]),
        (1, [0, 1]),
        (4, [0, 1, 2, 3, 4]),
        (5, [0, 1, 2, 3, 4, 5]),
        (7, [0, 2, 4, 6, 8]),
        (100, [0, 20, 40, 60, 80, 100]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def test_nice_ticks_start_at_zero_and_step_by_one_two_or_five_times_a_power_of_ten(maximum, ticks):
    assert charts.nice_ticks(maximum) == ticks


@pytest.mark.parametrize("maximum", [3, 9, 11, 19, 23, 51, 99, 101, 777, 4321, 98765])
def test_nice_ticks_always_cover_the_maximum_in_three_to_five_steps(maximum):
    ticks = charts.nice_ticks(maximum)
    step = ticks[1]
    assert ticks[-1] >= maximum > ticks[-2]
    assert 3 <= len(ticks) - 1 <= 5 or maximum < 3
    assert re.fullmatch(r"[125]0*", str(step))


# WeasyPrint, as in the quarterly report


def report_page() -> str:
    return (
        "<html><head><style>@page { size: A4; margin: 1.5cm } body { font-family: 'DejaVu Sans' }</style></head>"
        "<body><h1>Kvartalsrapport</h1>"
        f"{some_bar_chart(labels=['Legemidler', HOSTILE], values=[41, None])}"
        f"{some_bar_chart(id='withheld', labels=['Epikrise', 'Henvisning'], values=[None, charts.HIDDEN])}"
        f"{some_line_chart()}"
        f"{some_matrix_chart()}"
        "</body></html>"
    )


def test_the_charts_render_in_weasyprint_without_complaint(caplog):
    weasyprint = pytest.importorskip("weasyprint")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = weasyprint.HTML(string=report_page()).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5_000
    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []


def test_the_numbers_and_names_of_the_charts_can_be_read_back_from_the_pdf(tmp_path):
    import subprocess

    from tests.processes import require

    weasyprint = pytest.importorskip("weasyprint")
    require("pdftotext", "apt-get install poppler-utils")
    path = tmp_path / "charts.pdf"
    path.write_bytes(weasyprint.HTML(string=report_page()).write_pdf())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Legemidler", "41", "<5", "2025 K4", "120", "Tromsø kommune"):
        assert expected in text
