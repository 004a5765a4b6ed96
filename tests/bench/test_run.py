"""make bench's choice of steps (BENCH_STEPS)."""

import pytest

from bench import run


def test_no_steps_named_runs_every_step():
    assert run.chosen_steps("") == list(run.STEPS)


def test_the_steps_named_run_in_the_bench_order():
    assert run.chosen_steps("single, saturation") == ["saturation", "single"]


def test_an_unknown_step_stops_the_run():
    with pytest.raises(SystemExit, match="unknown steps"):
        run.chosen_steps("saturation,sweeep")
