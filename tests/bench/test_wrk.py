"""The saturation bench's arithmetic: wrk's figures read from its output, and pages as ratios to
the floor measured around them in the same round. No server and no timing: made-up figures."""

import pytest

from bench import wrk
from bench.pages import BARE_FLOOR, FLOOR

OUTPUT = """Running 4s test @ http://127.0.0.1:8000/avvik/alle/
  2 threads and 20 connections
BENCH-JSON {"requests": 400, "duration_us": 4000000, "connect": 0, "read": 1, "write": 0, "status": 2, "timeout": 0, \
"p50_us": 50000, "p95_us": 120500, "p99_us": 200000, "max_us": 250000}
"""


def run(round_, name, p95, rps, errors=0):
    return {"round": round_, "name": name, "p95": p95, "rps": rps, "errors": errors}


def test_the_figures_are_read_from_the_line_the_script_writes():
    figures = wrk.parse(OUTPUT)
    assert figures["requests"] == 400
    assert figures["rps"] == 100.0
    assert figures["p95"] == 120.5
    assert figures["p50"] == 50.0
    assert figures["max"] == 250.0
    assert figures["errors"] == 3


def test_output_without_the_figures_is_an_error_not_a_zero():
    with pytest.raises(ValueError, match="no figures"):
        wrk.parse("Running 4s test\nunable to connect to 127.0.0.1:8000 Connection refused\n")


def test_the_command_passes_each_session_cookie_to_the_script():
    command = wrk.command("http://127.0.0.1:1/x/", 4.2, ["sessionid=a", "sessionid=b"])
    assert command[1:4] == ["-t2", "-c20", "-d4s"]
    assert command[-3:] == ["--", "sessionid=a", "sessionid=b"]


def test_a_page_is_compared_with_the_mean_of_the_floors_before_and_after_it():
    runs = [
        run(1, FLOOR, p95=100, rps=200),
        run(1, "list", p95=300, rps=50),
        run(1, FLOOR, p95=140, rps=240),
    ]
    row = wrk.summarise(runs, {"list": "list"})["list"]
    assert row["p95_ratio"] == 2.5  # 300 / 120
    assert row["rps_ratio"] == 4.4  # 220 / 50
    assert row["target"] == 2.0
    assert row["met"] is False


def test_ratios_are_the_median_over_rounds_and_never_mix_rounds():
    runs = [
        run(1, FLOOR, p95=100, rps=200),
        run(1, "detail", p95=150, rps=120),
        run(2, FLOOR, p95=200, rps=100),
        run(2, "detail", p95=300, rps=60),
        run(3, FLOOR, p95=100, rps=200),
        run(3, "detail", p95=500, rps=20),
    ]
    row = wrk.summarise(runs, {"detail": "detail"})["detail"]
    # Rounds: 1.5 / 1.67, 1.5 / 1.67, 5.0 / 10.0; the medians, not the means.
    assert row["p95_ratio"] == 1.5
    assert row["rps_ratio"] == 1.67
    assert row["met"] is True
    assert row["p95"] == 300
    assert row["p95_range"] == [150, 500]
    assert row["rounds"] == 3


def test_our_floor_is_compared_with_the_bare_floor_against_the_floor_target():
    runs = [
        run(1, BARE_FLOOR, p95=50, rps=300),
        run(1, FLOOR, p95=60, rps=240),
        run(1, FLOOR, p95=70, rps=260),
    ]
    summary = wrk.summarise(runs, {})
    assert summary[FLOOR]["p95_ratio"] == 1.3  # 65 / 50
    assert summary[FLOOR]["rps_ratio"] == 1.2  # 300 / 250
    assert summary[FLOOR]["target"] == 1.2
    assert summary[FLOOR]["met"] is False
    assert summary[BARE_FLOOR]["p95_ratio"] is None


def test_a_page_without_a_floor_in_its_round_has_no_ratio_and_no_verdict():
    summary = wrk.summarise([run(1, "search", p95=400, rps=10)], {"search": "search"})
    assert summary["search"]["p95_ratio"] is None
    assert summary["search"]["met"] is None
    assert summary["search"]["target"] == 4.0


def test_errors_are_added_up_over_the_rounds():
    runs = [run(1, FLOOR, 10, 100), run(1, "x", 10, 100, errors=2), run(2, FLOOR, 10, 100), run(2, "x", 10, 100, 3)]
    assert wrk.summarise(runs, {"x": "list"})["x"]["errors"] == 5


def test_a_middleware_costs_the_difference_in_worker_time_per_request_from_the_runs_beside_it():
    variants = [
        # The machine slowed down between the two: each is compared with the full stack run beside it.
        {"without": "csp.middleware.CSPMiddleware", "rps": 250.0, "p95": 80.0, "beside": {"rps": 200.0}},
        {"without": "axes.middleware.AxesMiddleware", "rps": 100.0, "p95": 100.0, "beside": {"rps": 100.0}},
        {"without": "broken.Middleware", "rps": None, "p95": None},
    ]
    costs = wrk.middleware_costs(variants, workers=2)
    assert [row["without"] for row in costs] == ["csp.middleware.CSPMiddleware", "axes.middleware.AxesMiddleware"]
    # Two workers: 2/200 s against 2/250 s a request, 2 ms.
    assert costs[0]["ms_per_request"] == 2.0
    assert costs[0]["gain"] == 0.25
    assert costs[0]["beside_rps"] == 200.0
    assert costs[1]["ms_per_request"] == 0.0


def test_short_runs_are_taken_together_by_their_requests_over_their_time():
    runs = [
        {"requests": 300, "seconds": 2.0, "rps": 150.0, "p95": 10.0, "errors": 0},
        {"requests": 100, "seconds": 2.0, "rps": 50.0, "p95": 30.0, "errors": 1},
    ]
    assert wrk.mean_figures(runs) == {"requests": 400, "seconds": 4.0, "rps": 100.0, "p95": 20.0, "errors": 1}


def test_a_run_in_which_no_request_finished_gives_no_figures_rather_than_zeros():
    runs = [run(1, FLOOR, 100, 200), run(1, "stats", 0.0, 0.0), run(1, FLOOR, 100, 200)]
    row = wrk.summarise(runs, {"stats": "statistics"})["stats"]
    assert row["p95"] is None
    assert row["empty_runs"] == 1
    assert row["met"] is None


def test_a_run_with_enough_requests_is_not_repeated():
    assert wrk.longer_run(3, wrk.ENOUGH_REQUESTS) is None


def test_a_slow_page_is_run_again_long_enough_for_twice_the_requests_wanted_but_not_forever():
    assert wrk.longer_run(3, 20) == 12.0  # 20 requests in 3 s: 80 take 12 s
    assert wrk.longer_run(3, 0) == wrk.LONGEST_RUN
    assert wrk.longer_run(3, 39) == 6.2
