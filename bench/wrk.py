"""Saturation with wrk: one closed-loop run against one URL, its figures, and the ratios of each
page to the floor measured around it in the same round. The arithmetic is kept free of processes
so that tests/bench can check it without a server."""

import json
import shutil
import subprocess
from pathlib import Path
from statistics import median

from bench.pages import BARE_FLOOR, FLOOR, FLOOR_TARGET, TARGETS

SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
MARK = "BENCH-JSON "
CONNECTIONS = 20
THREADS = 2
# A run that finishes fewer requests than this is too short for its page: with every connection
# waiting its turn, a request takes about CONNECTIONS / req/s, and a run shorter than a few of those
# counts only the first requests. It is run again, longer, up to LONGEST_RUN seconds.
ENOUGH_REQUESTS = 2 * CONNECTIONS
LONGEST_RUN = 30.0


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(
            "make bench needs wrk for the saturation step: install it (apt-get install -y wrk), "
            "or leave the step out with BENCH_STEPS."
        )
    return path


def command(url: str, seconds: float, cookies: list[str], connections: int = CONNECTIONS) -> list[str]:
    return [
        wrk_path(),
        f"-t{THREADS}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(SCRIPT),
        url,
        "--",
        *cookies,
    ]


def parse(output: str) -> dict:
    """The figures of one run, from the JSON line bench/wrk.lua writes: milliseconds and req/s."""
    line = next((line for line in output.splitlines() if line.startswith(MARK)), None)
    if line is None:
        raise ValueError(f"no figures in wrk's output:\n{output[-2000:]}")
    raw = json.loads(line[len(MARK) :])
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[key] for key in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 2) if seconds else 0.0,
        "p50": round(raw["p50_us"] / 1000, 1),
        "p95": round(raw["p95_us"] / 1000, 1),
        "p99": round(raw["p99_us"] / 1000, 1),
        "max": round(raw["max_us"] / 1000, 1),
        "errors": errors,
        "timeouts": raw["timeout"],
    }


def run(url: str, seconds: float, cookies: list[str]) -> dict:
    result = subprocess.run(command(url, seconds, cookies), capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"wrk failed on {url}: {result.stderr[-2000:]}")
    return parse(result.stdout)


def longer_run(seconds: float, requests: int) -> float | None:
    """How long to run again a page whose run finished too few requests (None: enough), aiming at
    twice ENOUGH_REQUESTS at the rate measured."""
    if requests >= ENOUGH_REQUESTS:
        return None
    return round(min(LONGEST_RUN, max(2 * seconds, seconds * 2 * ENOUGH_REQUESTS / max(requests, 1))), 1)


# Ratios ------------------------------------------------------------------------------------------


def _floor_around(runs: list[dict], index: int) -> dict | None:
    """Our floor as measured just before and just after the run at `index` in its round: the mean
    of the two (or the one there is)."""
    round_ = runs[index]["round"]
    before = next((r for r in reversed(runs[:index]) if r["round"] == round_ and r["name"] == FLOOR), None)
    after = next((r for r in runs[index + 1 :] if r["round"] == round_ and r["name"] == FLOOR), None)
    found = [r for r in (before, after) if r and r["rps"]]
    if not found:
        return None
    return {
        "p95": sum(r["p95"] for r in found) / len(found),
        "rps": sum(r["rps"] for r in found) / len(found),
    }


def summarise(runs: list[dict], kinds: dict[str, str]) -> dict:
    """Per page, over the rounds: the median p95 and req/s, and the median of each round's ratios to
    the floor around it. p95 ratio is page p95 / floor p95; req/s ratio is floor req/s / page req/s,
    so that for both, higher is slower. `kinds` maps a page to its kind (bench/pages.py: TARGETS).
    The bare floor is compared with our floor the same way; our floor with the bare floor."""
    ratios: dict[str, dict[str, list[float]]] = {}
    for index, run_ in enumerate(runs):
        name = run_["name"]
        entry = ratios.setdefault(
            name, {"p95": [], "rps": [], "p95_ratio": [], "rps_ratio": [], "errors": [], "empty": []}
        )
        entry["errors"].append(run_["errors"])
        if not run_["rps"]:
            # No request finished within the run (a page slower than the run is long): no figures.
            entry["empty"].append(1)
            continue
        entry["p95"].append(run_["p95"])
        entry["rps"].append(run_["rps"])
        if name in (FLOOR, BARE_FLOOR):
            continue
        floor = _floor_around(runs, index)
        if floor and run_["rps"] and floor["p95"]:
            entry["p95_ratio"].append(run_["p95"] / floor["p95"])
            entry["rps_ratio"].append(floor["rps"] / run_["rps"])
    # Our floor over the bare floor, round by round.
    for round_ in sorted({r["round"] for r in runs}):
        bare = [r for r in runs if r["round"] == round_ and r["name"] == BARE_FLOOR and r["rps"]]  # measured ones
        ours = [r for r in runs if r["round"] == round_ and r["name"] == FLOOR and r["rps"]]
        if bare and ours:
            entry = ratios[FLOOR]
            entry["p95_ratio"].append(median(r["p95"] for r in ours) / median(r["p95"] for r in bare))
            entry["rps_ratio"].append(median(r["rps"] for r in bare) / median(r["rps"] for r in ours))
    summary = {}
    for name, entry in ratios.items():
        target = FLOOR_TARGET if name == FLOOR else TARGETS.get(kinds.get(name, ""))
        p95_ratio = round(median(entry["p95_ratio"]), 2) if entry["p95_ratio"] else None
        rps_ratio = round(median(entry["rps_ratio"]), 2) if entry["rps_ratio"] else None
        measured = bool(entry["p95"])
        summary[name] = {
            "kind": "floor" if name in (FLOOR, BARE_FLOOR) else kinds.get(name, ""),
            "rounds": len(entry["p95"]),
            "empty_runs": len(entry["empty"]),
            "p95": round(median(entry["p95"]), 1) if measured else None,
            "p95_range": [min(entry["p95"]), max(entry["p95"])] if measured else None,
            "rps": round(median(entry["rps"]), 2) if measured else None,
            "rps_range": [min(entry["rps"]), max(entry["rps"])] if measured else None,
            "p95_ratio": p95_ratio,
            "rps_ratio": rps_ratio,
            "errors": sum(entry["errors"]),
            "target": target,
            "met": met(p95_ratio, rps_ratio, target),
        }
    return summary


def met(p95_ratio: float | None, rps_ratio: float | None, target: float | None) -> bool | None:
    """A target is met when both ratios are within it; None when there is no target or no ratio."""
    if target is None or p95_ratio is None or rps_ratio is None:
        return None
    return p95_ratio <= target and rps_ratio <= target


def mean_figures(runs: list[dict]) -> dict:
    """Short runs of one server taken together: all their requests over all their time, and the
    mean of their p95s."""
    seconds = sum(run["seconds"] for run in runs)
    return {
        "requests": sum(run["requests"] for run in runs),
        "seconds": round(seconds, 2),
        "rps": round(sum(run["requests"] for run in runs) / seconds, 2) if seconds else 0.0,
        "p95": round(sum(run["p95"] for run in runs) / len(runs), 1),
        "errors": sum(run["errors"] for run in runs),
    }


def middleware_costs(variants: list[dict], workers: int) -> list[dict]:
    """Each middleware's cost on the floor page: req/s without it against req/s with all of it, run
    beside it (bench/saturation.py: middleware). With `workers` sync workers busy all the time, a
    request holds a worker for about workers/req/s seconds, so the difference is an estimate of the
    middleware's own time per request."""
    rows = []
    for variant in variants:
        beside = variant.get("beside") or {}
        if not variant.get("rps") or not beside.get("rps"):
            continue
        rows.append(
            {
                "without": variant["without"],
                "rps": variant["rps"],
                "p95": variant["p95"],
                "beside_rps": beside["rps"],
                "gain": round(variant["rps"] / beside["rps"] - 1, 3),
                "ms_per_request": round(1000 * workers * (1 / beside["rps"] - 1 / variant["rps"]), 2),
            }
        )
    return sorted(rows, key=lambda row: -row["ms_per_request"])
