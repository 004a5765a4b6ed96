"""The saturation sections of docs/performance.md, rendered from made-up results."""

from bench import saturation_report, wrk
from bench.pages import BARE_FLOOR, FLOOR, LAYOUT_FLOOR

SETTINGS = {
    "seconds": 12.0,
    "rounds": 3,
    "floor_every": 4,
    "pages": "",
    "sessions": 4,
    "middleware_seconds": 5.0,
    "workers": 2,
    "connections": 20,
}


def saturation() -> dict:
    runs = [
        {"round": 1, "name": BARE_FLOOR, "p95": 50.0, "rps": 300.0, "errors": 0},
        {"round": 1, "name": FLOOR, "p95": 100.0, "rps": 200.0, "errors": 0},
        {"round": 1, "name": "list: Alle avvik, default", "p95": 150.0, "rps": 120.0, "errors": 0},
        {"round": 1, "name": "statistics, year 2025", "p95": 0.0, "rps": 0.0, "errors": 0},
        {"round": 1, "name": FLOOR, "p95": 100.0, "rps": 200.0, "errors": 0},
    ]
    kinds = {"list: Alle avvik, default": "list", "statistics, year 2025": "statistics"}
    return {
        "settings": SETTINGS,
        "order": [FLOOR, BARE_FLOOR, *kinds],
        "urls": {"list: Alle avvik, default": "/avvik/alle/"},
        "runs": runs,
        "skipped": {"list: Mottak og fordeling, page 5": "/avvik/triage/?page=5 answered 404 instead of 200"},
        "pages": wrk.summarise(runs, kinds),
    }


def test_each_page_shows_its_ratios_its_verdict_and_its_single_request_figures():
    single = {"list: Alle avvik, default": {"ms": 40.0, "sql_ms": 10.0, "python_ms": 30.0, "queries": 12}}
    text = "\n".join(saturation_report.section(saturation(), single))
    assert (
        "| list: Alle avvik, default | 150 (150) | 120 | 1.50× | 1.67× | ≤ 2× | met | 40.0 | 10.0 | 12 | 30.0 |" in text
    )
    assert "statistics, year 2025 (1 runs without a finished request) | – (–) | –" in text
    assert "1 met, 1 missed" in text  # the list met; our floor missed against the bare floor


def test_the_floor_line_gives_our_floor_against_the_bare_floor():
    line = saturation_report.floor_line(saturation())
    assert "ours is 2.00× the bare floor's p95 and 1.50× its time per request" in line
    assert "**missed**" in line


def test_the_middleware_table_lists_the_dearest_first_and_the_ones_that_failed():
    beside = {"rps": 200.0}
    variants = [
        {"variant": "site", "without": "a.A", "rps": 210.0, "p95": 95.0, "beside": beside},
        {"variant": "site", "without": "b.B", "rps": 250.0, "p95": 80.0, "beside": beside},
        {"variant": "site", "without": "c.C", "rps": None, "p95": None, "error": "answered 500"},
        {"variant": "bare", "without": "", "rps": 320.0, "p95": 60.0, "beside": beside},
    ]
    section = {
        "settings": {**SETTINGS, "pairs": 2},
        "variants": variants,
        "costs": wrk.middleware_costs([v for v in variants if v["variant"] == "site"], 2),
        "alone": {
            "requests": 200,
            "all_ms": 6.5,
            "own_ms": {"a.A": 0.12, "b.B": 0.5, "bare": 1.4},
            "refused": {"d.D": "answered [500]"},
        },
    }
    text = "\n".join(saturation_report.middleware_section(section))
    assert text.index("`b.B`") < text.index("`a.A`")
    assert "| `b.B` | 250 | 80 | 200 | +25.0 % | 2 | 0.5 |" in text
    assert "The bare Django floor: 320 req/s (p95 60 ms) against 200 req/s" in text
    assert "in one process our middleware add 1.4 ms to the bare floor's time" in text
    assert "without `c.C`: answered 500" in text
    assert "without `d.D`: answered [500]" in text


def test_the_middleware_table_stands_without_the_one_process_figures():
    variants = [{"variant": "site", "without": "a.A", "rps": 210.0, "p95": 95.0, "beside": {"rps": 200.0}}]
    section = {"settings": {**SETTINGS, "pairs": 2}, "variants": variants, "costs": wrk.middleware_costs(variants, 2)}
    text = "\n".join(saturation_report.middleware_section(section))
    assert "| `a.A` | 210 | 95 | 200 | +5.0 % |" in text
    assert "one process" in text.splitlines()[-3]  # the header names the column, left empty


def test_pages_left_out_before_the_run_are_named_with_the_reason():
    text = "\n".join(saturation_report.section(saturation(), None))
    assert "- list: Mottak og fordeling, page 5: /avvik/triage/?page=5 answered 404 instead of 200" in text


def test_a_page_one_request_could_not_show_is_named_not_measured():
    from bench import report

    single = {
        "list: a short queue, page 5": {"skipped": "answered 404"},
        FLOOR: {"ms": 8.0, "sql_ms": 1.0, "queries": 3, "python_ms": 7.0},
    }
    assert report.single_rows(single) == [
        "| list: a short queue, page 5 | not measured: answered 404 | | | |",
        f"| {FLOOR} | 8.0 | 1.0 | 3 | 7.0 |",
    ]


def with_layout_floor() -> dict:
    runs = [
        {"round": 1, "name": BARE_FLOOR, "p95": 50.0, "rps": 300.0, "errors": 0},
        {"round": 1, "name": FLOOR, "p95": 100.0, "rps": 200.0, "errors": 0},
        {"round": 1, "name": LAYOUT_FLOOR, "p95": 250.0, "rps": 80.0, "errors": 0},
        {"round": 1, "name": "list: Alle avvik, default", "p95": 600.0, "rps": 40.0, "errors": 0},
        {"round": 1, "name": "search: Alle avvik, q=brev", "p95": 300.0, "rps": 70.0, "errors": 0},
        {"round": 1, "name": FLOOR, "p95": 100.0, "rps": 200.0, "errors": 0},
    ]
    kinds = {LAYOUT_FLOOR: "layout", "list: Alle avvik, default": "list", "search: Alle avvik, q=brev": "search"}
    return {
        "settings": SETTINGS,
        "order": [FLOOR, BARE_FLOOR, *kinds],
        "urls": {},
        "runs": runs,
        "skipped": {},
        "pages": wrk.summarise(runs, kinds),
    }


def test_the_lower_bound_is_the_layout_floor_and_names_the_targets_below_it():
    text = "\n".join(saturation_report.section(with_layout_floor(), {}))
    # 2.5 times the floor: the 2x targets lie below it, search (4x) and statistics (3x) above.
    assert "took 2.50× our floor's time, under saturation" in text
    assert "the targets for list (2×), detail (2×), filing (2×) lie below it" in text
    assert "statistics" not in text.split("**Lower bound.**")[1].split("lie below")[0]
    # The list missed at 5 times the floor: twice the layout's time is its own.
    assert "Over the layout, the 1 missed pages cost 2.00–2.00× its time" in text
    assert f"| {LAYOUT_FLOOR} | 250 (250) | 80 | 2.50× | 2.50× |  |  |" in text


def test_a_run_without_the_layout_floor_under_saturation_takes_its_one_request_time():
    single = {
        FLOOR: {"ms": 5.0, "sql_ms": 1.0, "python_ms": 4.0, "queries": 4},
        LAYOUT_FLOOR: {"ms": 8.0, "sql_ms": 2.0, "python_ms": 6.0, "queries": 7},
    }
    text = "\n".join(saturation_report.section(saturation(), single))
    assert f"| {LAYOUT_FLOOR} (one request at a time only) | – | – | – | – | | | 8.0 | 2.0 | 7 | 6.0 |" in text
    assert "took 1.60× our floor's time, one request at a time (8 ms against 5 ms" in text
    assert "; every target lies above it." in text


def test_no_lower_bound_is_claimed_without_the_layout_floor():
    assert "Lower bound" not in "\n".join(saturation_report.section(saturation(), {}))


def test_the_least_a_page_can_cost_is_the_layout_and_its_own_queries():
    single = {
        FLOOR: {"ms": 5.0, "sql_ms": 1.0, "python_ms": 4.0, "queries": 4},
        LAYOUT_FLOOR: {"ms": 8.0, "sql_ms": 2.0, "python_ms": 6.0, "queries": 7},
        "list: Alle avvik, default": {"ms": 30.0, "sql_ms": 6.0, "python_ms": 24.0, "queries": 12},
        "search: Alle avvik, q=brev": {"ms": 20.0, "sql_ms": 1.0, "python_ms": 19.0, "queries": 11},
    }
    # (8 ms of layout + 4 ms of the list's own SQL) / 5 ms of floor; the search's SQL is less than the layout's.
    assert saturation_report.least_ratio("list: Alle avvik, default", single) == 2.4
    assert saturation_report.least_ratio("search: Alle avvik, q=brev", single) == 1.6
    assert saturation_report.least_ratio(FLOOR, single) is None
    text = "\n".join(saturation_report.section(with_layout_floor(), single))
    assert "| 30.0 | 6.0 | 12 | 24.0 | 2.40× |" in text
    assert "for 1 missed pages the layout floor and their SQL time alone already exceed their target" in text
    assert "(least ×, from 2.40× to 2.40×)" in text


def test_the_least_ratio_takes_the_floors_measured_beside_the_page():
    single = {
        FLOOR: {"ms": 5.0, "sql_ms": 1.0, "python_ms": 4.0, "queries": 3},
        LAYOUT_FLOOR: {"ms": 8.0, "sql_ms": 2.0, "python_ms": 6.0, "queries": 5},
        # The machine was slower while this page was measured: its own floors say so.
        "list: Alle avvik, default": {
            "ms": 60.0,
            "sql_ms": 12.0,
            "python_ms": 48.0,
            "queries": 12,
            "beside": {"floor_ms": 10.0, "layout_ms": 16.0, "layout_sql_ms": 4.0},
        },
    }
    # (16 ms of layout + 8 ms of the list's own SQL) / 10 ms of floor, not / the run's 5 ms.
    assert saturation_report.least_ratio("list: Alle avvik, default", single) == 2.4
