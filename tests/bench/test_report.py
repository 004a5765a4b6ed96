"""The report says where the reminder sweep stands against its target and against its lower bound."""

from bench import report


def run(seconds: float, finished: bool = True) -> dict:
    return {
        "seconds": seconds,
        "finished": finished,
        "steps": 300_000,
        "steps_per_second": 7000,
        "written": 450_000,
        "growth_mb": 12.0,
    }


def sweep(first: dict, floor: dict | None) -> dict:
    return {
        "budget_seconds": 120.0,
        "open_cases": 1_000_000,
        "due_cases": 300_000,
        "setup_seconds": 60.0,
        "due_setup_seconds": 20.0,
        "peak_rss_mb": 400.0,
        "quiet": run(0.02),
        "first": first,
        "second": run(0.5),
        "floor": floor,
    }


FLOOR = {"seconds": 33.0, "cases": 300_000, "rows": 456_765, "notices": 456_765, "workers": 2}


def test_a_floor_above_the_target_says_the_target_cannot_be_met():
    text = "\n".join(report._sweep_section(sweep(run(41.25), FLOOR)))
    assert "456,765 outbox rows and 456,765 site notices for 300,000 cases" in text
    assert "That took 33.0 s" in text and "the first run took 1.25× that" in text
    assert "The target of 30 s lies below it" in text


def test_a_floor_below_the_target_puts_the_rest_on_the_sweeps_own_work():
    text = "\n".join(report._sweep_section(sweep(run(41.0), {**FLOOR, "seconds": 20.0})))
    assert "The target of 30 s lies above it; the first run's 21.0 s beyond it" in text


def test_without_a_floor_nothing_is_said_of_one():
    unfinished = sweep(run(120.0, finished=False), None)
    assert "Lower bound" not in "\n".join(report._sweep_section(unfinished))
    rows = report._light_load_section({"sweep": unfinished})
    assert any("stopped after 120.0 s, unfinished |" in row for row in rows)


def test_the_targets_table_gives_the_lower_bound_beside_the_time():
    rows = report._light_load_section({"sweep": sweep(run(41.25), FLOOR)})
    assert any("| under 30 s | 41.25 s (lower bound 33.0 s) | **missed** |" in row for row in rows)
