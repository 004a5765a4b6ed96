"""Writes docs/performance.md from one run's results. Notes below the marker line are kept."""

import os
import platform
from datetime import datetime
from pathlib import Path

from bench import saturation_report

MARKER = "<!-- Notes below this line are written by hand and kept by make bench. -->"
TARGETS = {
    "list": 150,
    "detail": 150,
    "filing": 250,
    "triage": 250,
    "statistics": 500,
    "sweep": 30,
    "sweep_quiet": 1,
    "pdf": 10,
}


def machine() -> dict:
    model = platform.processor() or "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }


def page_target(name: str) -> int | None:
    kind = name.split(":")[0].split(" ")[0]
    return TARGETS.get(kind)


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def write(results: dict, path: Path) -> str:
    kept = ""
    if path.exists() and MARKER in path.read_text():
        kept = path.read_text().split(MARKER, 1)[1]
    text = render(results) + "\n" + MARKER + kept
    path.write_text(text if text.endswith("\n") else text + "\n")
    return text


def single_rows(single: dict) -> list[str]:
    """One request at a time: a page this volume could not show is named, not measured."""
    return [
        f"| {name} | {row['ms']} | {row['sql_ms']} | {row['queries']} | {row['python_ms']} |"
        if "skipped" not in row
        else f"| {name} | not measured: {row['skipped']} | | | |"
        for name, row in single.items()
    ]


def render(r: dict) -> str:
    m, refs = r["machine"], r["references"]
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` on {r.get('measured_at') or f'{datetime.now():%Y-%m-%d %H:%M}'} "
        f"in {r['bench_seconds'] // 60} min, code at commit {r.get('commit', 'unknown')}; "
        "reproduce with the same command (see the end of this page for what it does)."
        + (f" Steps run: {', '.join(r['steps'])}." if r.get("steps") else ""),
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}, "
        f"PostgreSQL at {r['database']} with {refs['cases']:,} cases. "
        f"Load average when the run started: {', '.join(map(str, m['load_average']))}"
        + (
            f"; the whole machine's CPU was {round(100 * r['load']['cpu_busy'])} % busy during the light-load "
            "test (the load generator runs on it too)."
            if r.get("load")
            else "."
        ),
        "",
    ]
    if r.get("saturation"):
        lines += ["Floor ratios: " + saturation_report.floor_line(r["saturation"]), ""]
    if refs.get("cpu_seconds") is not None:
        lines += [
            "References measured in the same run, for comparing machines: a fixed pure-Python loop took "
            f"{refs['cpu_seconds']} s; `SELECT count(*)` over the case table took "
            f"{1000 * refs['count_seconds']:.0f} ms. Ratios to these change less between machines than the times do.",
            "",
        ]
    if r.get("saturation"):
        lines += saturation_report.section(r["saturation"], r.get("single"))
        lines.append("")
    elif r.get("single"):
        lines += [
            "## One request at a time",
            "",
            "| page | ms | SQL ms | queries | Python ms |",
            "|---|---|---|---|---|",
        ]
        lines += single_rows(r["single"])
        lines.append("")
    if r.get("middleware"):
        lines += saturation_report.middleware_section(r["middleware"])
        lines.append("")
    lines += _light_load_section(r)
    if r.get("statistics"):
        lines += _statistics_section(r["statistics"], refs)
    if r.get("sweep"):
        lines += _sweep_section(r["sweep"])
    if r.get("pdf"):
        lines += _pdf_section(r["pdf"])
    lines += _broker_section(r.get("broker"))
    if r.get("profiles"):
        lines += [
            "",
            "## Profiles of what missed its target",
            "",
            "Sampled with pyinstrument. Each list shows the functions that took the most time, "
            "counting the functions they call, without the frames that enclose everything. "
            "The call trees are in `var/bench/profile-*.txt`.",
            "",
        ]
        for name, value in r["profiles"].items():
            lines += [f"### {name}", "", "```", *_profile_head(value["profile"]), "```", ""]
    if r.get("traffic"):
        from bench.traffic import section

        lines += ["", *section(r["traffic"])]
    seed = r.get("seed") or {}
    lines += [
        "",
        "## How it is run",
        "",
        "`make bench` needs PostgreSQL (`DATABASE_URL`, default the local `samhandling_bench`; it starts the "
        "local cluster when it is down) and `wrk` (the make target installs it with apt when run as root). It "
        "seeds the volume with `manage.py seed_volume` only when the database has fewer cases than "
        "`BENCH_CASES` (default 1,000,000), so later runs reuse it"
        + (f"; this run seeded it in {seed['seed_seconds']} s" if seed.get("seeded_now") else "")
        + ". Each run vacuums and analyses it first, as autovacuum would have (the server may run "
        "without it). Raw results, the locust CSV files, logs and profiles are left in `var/bench/`. "
        "`BENCH_STEPS` runs only the steps it names (comma-separated: seed, references, pdf, statistics, "
        "queries, saturation, single, middleware, load, sweep, broker, traffic, profiles); such a run writes its "
        "page to `var/bench/performance.md` and leaves this one alone unless `BENCH_WRITE=1`. Saturation: "
        "`BENCH_SECONDS` (per page, over all rounds), `BENCH_ROUNDS`, `BENCH_FLOOR_EVERY`, `BENCH_PAGES` (a "
        "regular expression on the page names), `BENCH_SESSIONS`, `BENCH_MIDDLEWARE_SECONDS`, "
        "`BENCH_MIDDLEWARE_REQUESTS` (floor pages per variant in one process), `BENCH_SINGLE_REPEATS`; "
        "`BENCH_REUSE_PLAN=1` reuses the last run's people and cases. "
        "Light load: `BENCH_USERS`, `BENCH_LOAD_SECONDS`, `BENCH_WORKERS`, "
        "`BENCH_THREADS`. Reminder sweep: `BENCH_SWEEP_BUDGET`.",
        "",
    ]
    return "\n".join(lines)


def _light_load_section(r: dict) -> list[str]:
    """The light-load mix (locust, think time) with its absolute targets, and the queries per page."""
    lines: list[str] = []
    load, queries = r.get("load"), r.get("queries") or {}
    pages = load["pages"] if load else {}
    targets = []
    for name, row in sorted(pages.items()):
        target = page_target(name)
        if target and name != "Aggregated" and row["p95"] is not None:
            targets.append(f"| {name}, p95 | under {target} ms | {row['p95']} ms | {verdict(row['p95'] < target)} |")
    sweep, pdf = r.get("sweep"), r.get("pdf")
    if sweep:
        quiet, first = sweep["quiet"], sweep["first"]
        targets.append(
            f"| reminder sweep over {sweep['open_cases']:,} open cases, nothing newly due "
            f"| under {TARGETS['sweep_quiet']} s | {_sweep_time(quiet)} "
            f"| {verdict(quiet['finished'] and quiet['seconds'] < TARGETS['sweep_quiet'])} |"
        )
        targets.append(
            f"| reminder sweep over {sweep['open_cases']:,} open cases, {sweep['due_cases']:,} newly due "
            f"| under {TARGETS['sweep']} s | {_sweep_time(first)}{_sweep_floor_time(sweep)} "
            f"| {verdict(first['finished'] and first['seconds'] < TARGETS['sweep'])} |"
        )
    if pdf:
        targets.append(
            f"| quarterly PDF, {pdf['cases']:,} cases | under {TARGETS['pdf']} s | {pdf['total_seconds']} s "
            f"| {verdict(pdf['total_seconds'] < TARGETS['pdf'])} |"
        )
    if load:
        total_failures = sum(row["failures"] for name, row in pages.items() if name != "Aggregated")
        targets.append(f"| errors under light load | none | {total_failures} | {verdict(total_failures == 0)} |")
    if targets:
        lines += [
            "## Light load: targets in milliseconds",
            "",
            "The earlier targets, absolute times under the light-load mix below (kept for comparison with "
            "earlier runs), and the reminder sweep and the quarterly PDF.",
            "",
            "| what | target | measured | |",
            "|---|---|---|---|",
            *targets,
            "",
        ]
    if load:
        raw = pages.get("baseline: raw SQL page", {}).get("p95") or None
        s = load["settings"]
        lines += [
            "## Pages under light load",
            "",
            f"{s['users']} simulated people (reporters, handlers, coordinators and council members in 6:6:6:2) "
            f"log in with the form and use the site for {s['seconds']} s with 0.5 to 2 s between clicks, "
            f"against gunicorn on 127.0.0.1 ({s['workers']} processes × {s['threads']} threads, DEBUG off, Redis "
            "as broker). The load generator is locust. Times in ms; throughput in requests per second; "
            "× raw is the page's p95 over the floor page's p95 (the raw SQL page behind our middleware); queries "
            "are counted in a separate pass through Django's test client (the highest count over three people).",
            "",
            "| page | requests | errors | p50 | p95 | p99 | max | req/s | × raw | SQL queries |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, row in sorted(pages.items(), key=lambda item: (item[0] == "Aggregated", item[0])):
            if not row["requests"]:
                continue  # logging in happens before the measured period
            ratio = f"{row['p95'] / raw:.1f}" if raw and row["p95"] else ""
            counted = _queries_for(name, queries)
            lines.append(
                f"| {name} | {row['requests']} | {row['failures']} | {row['p50']} | {row['p95']} | {row['p99']} "
                f"| {row['max']} | {row['rps']} | {ratio} | {counted} |"
            )
        if load["failures"]:
            lines += ["", "Errors:", ""]
            lines += [f"- {f['page']}: {f['error']} ({f['count']}×)" for f in load["failures"]]
        memory = load["gunicorn_rss_mb"]
        lines += [
            "",
            f"Peak memory of the web processes: {memory['per_worker_max']} MB for the largest worker, "
            f"{memory['total']} MB for all {memory['processes']} gunicorn processes together.",
            "",
        ]
    if queries:
        lines += [
            "SQL queries per page of the light-load mix, with the time of a single request through the test client:",
            "",
            "| page | queries | ms |",
            "|---|---|---|",
        ]
        lines += [f"| {name} | {row['queries']} | {row['ms']} |" for name, row in sorted(queries.items())]
    return lines


def _statistics_section(st: dict, refs: dict) -> list[str]:
    lines = [
        "",
        "## Statistics",
        "",
        f"The statistics selector for the partnership with {st['partnership_cases']:,} cases, best of three "
        "after one warm-up run; the statistics page adds the charts and the template to this. The sums "
        "are one measure summed from the monthly counts (the least SQL the page needs); the content is "
        "the report's chapters, hotspots, follow-up and charts drawn from figures already counted.",
        "",
        "| period | selector | × count(*) | sums alone | content |",
        "|---|---|---|---|---|",
    ]
    for name in ("quarter", "year"):
        row = st[name]
        seconds = row["seconds"]
        times = f"{seconds / refs['count_seconds']:.1f}" if refs.get("count_seconds") else ""
        sums = f"{1000 * row['sums_seconds']:.1f} ms" if "sums_seconds" in row else ""
        content = f"{1000 * row['content_seconds']:.0f} ms" if "content_seconds" in row else ""
        lines.append(f"| {name} ({row['period']}) | {seconds} s | {times} | {sums} | {content} |")
    lines += ["", f"Peak memory: {st['peak_rss_mb']} MB for the process ({st['growth_mb']} MB for the selector)."]
    return lines


def _sweep_time(run: dict) -> str:
    return f"{run['seconds']} s" if run["finished"] else f"stopped after {run['seconds']} s, unfinished"


def _sweep_floor_time(sweep: dict) -> str:
    floor = sweep.get("floor")
    return f" (lower bound {floor['seconds']} s)" if floor else ""


def _sweep_floor(first: dict, floor: dict) -> str:
    """The replay by SQL alone (bench/sweep_floor.py) beside the first run, and what it says of the target."""
    target = TARGETS["sweep"]
    if floor["seconds"] >= target:
        meaning = (
            f"The target of {target} s lies below it: with a row and a notice per recipient, each with its "
            "foreign keys checked, it cannot be met on this machine by any change to the sweep's Python."
        )
    else:
        beyond = round(first["seconds"] - floor["seconds"], 1)
        meaning = (
            f"The target of {target} s lies above it; the first run's {beyond} s "
            "beyond it are the sweep's own work outside the database: deciding each case's steps, the rows' "
            "formatting and the waits between statements."
        )
    return (
        f"**Lower bound.** The rows of these runs ({floor['rows']:,} outbox rows and {floor['notices']:,} site "
        f"notices for {floor['cases']:,} cases) were set aside, taken back out, and written again by SQL alone "
        f"(`bench/sweep_floor.py`): a batch of cases per transaction as the sweep's, on {floor['workers']} "
        "connections, each batch's cases read, its rows inserted from the set-aside copy, its clocks moved on and "
        f"its commit checking the new rows' foreign keys. That took {floor['seconds']} s, the database's own part "
        "of the sweep, which no sweep writing these rows can go below"
        + (f"; the first run took {first['seconds'] / floor['seconds']:.2f}× that. " if floor["seconds"] else ". ")
        + meaning
    )


def _sweep_section(sweep: dict) -> list[str]:
    lines = [
        "",
        "## Reminder sweep",
        "",
        f"On a scratch copy of the benchmark database, dropped afterwards, every one of the "
        f"{sweep['open_cases']:,} cases is opened and committed: statuses spread over submitted, forwarded, "
        "in progress, waiting and answered, every deadline weeks ahead, and every case's reminder clock set "
        "in one statement as its migration does. The sweep runs once with nothing due. Then "
        f"{sweep['due_cases']:,} of the cases get deadlines from three days ago to three days ahead, and "
        "the sweep runs twice as in production, a transaction per batch whose commit checks the new rows' "
        "foreign keys: first with nothing sent yet, then again when every reminder exists. The rows are left "
        "for the outbox sweep, as when the broker is down: the time is the outbox's writing, not the hand-over "
        f"of one message per row to the broker. Each run is stopped after {sweep['budget_seconds']:.0f} s.",
        "",
        "| run | time | finished | cases read | cases/s | rows written | memory growth |",
        "|---|---|---|---|---|---|---|",
    ]
    runs = (
        ("nothing due", sweep["quiet"]),
        ("newly due, first", sweep["first"]),
        ("newly due, second", sweep["second"]),
    )
    for name, run in runs:
        if run is None:
            lines.append(f"| {name} | not run: the first did not finish | | | | | |")
            continue
        lines.append(
            f"| {name} | {run['seconds']} s | {'yes' if run['finished'] else 'no'} | {run['steps']:,} "
            f"| {run['steps_per_second'] if run['steps_per_second'] is not None else '–'} "
            f"| {run['written'] if run['written'] is not None else '–'} | {run['growth_mb']} MB |"
        )
    lines += [
        "",
        f"Opening the cases and setting their clocks took {sweep['setup_seconds']} s and making the cases due "
        f"{sweep['due_setup_seconds']} s, each with a VACUUM (ANALYZE) of the two tables afterwards. "
        f"Peak memory: {sweep['peak_rss_mb']} MB.",
    ]
    if sweep.get("floor") and sweep["first"]["finished"]:
        lines += ["", _sweep_floor(sweep["first"], sweep["floor"])]
    return lines


def _pdf_section(p: dict) -> list[str]:
    return [
        "",
        "## Quarterly council report",
        "",
        f"A quarter with {p['cases']:,} cases in one partnership: the statistics selector, then HTML to PDF with "
        "WeasyPrint (charts, tables), each run in a fresh process so peak memory is the report's own. "
        "Best of three runs for time; the highest peak memory of the three.",
        "",
        "| step | result |",
        "|---|---|",
        f"| statistics | {p['statistics_seconds']} s |",
        f"| PDF | {p['pdf_seconds']} s |",
        f"| total | {p['total_seconds']} s |",
        f"| peak memory (whole process) | {p['peak_rss_mb']} MB |",
        f"| PDF size | {p['pdf_bytes'] / 1024:.0f} KiB |",
    ]


def _broker_section(b: dict | None) -> list[str]:
    """Filing while the Celery broker hangs (see docs/reliability.md, section 7)."""
    if not b:
        return []
    hanging, refused = b["hanging"], b["refused"]
    return [
        "",
        "## Filing while the broker hangs",
        "",
        "A filing through Django's test client (after one warm-up filing) with the Celery broker address "
        "pointing at a listener that accepts connections and never answers, then at an address where nothing "
        f"listens. Redis transport timeouts: connect {b['connect_timeout']} s, socket {b['socket_timeout']} s; "
        f"circuit breaker {b['breaker_seconds']} s. The filings are rolled back; handing the notification to the "
        f"broker is timed with them. {b['filings']} filings in a row each time.",
        "",
        "| broker | first filing | next filings, median | next filings, max | first after the breaker closed |",
        "|---|---|---|---|---|",
        f"| hangs | {hanging['first_ms']} ms | {hanging['rest_median_ms']} ms | {hanging['rest_max_ms']} ms "
        f"| {hanging['after_breaker_ms']} ms |",
        f"| refuses connections | {refused['first_ms']} ms | {refused['rest_median_ms']} ms "
        f"| {refused['rest_max_ms']} ms | |",
    ]


def _queries_for(page: str, queries: dict) -> str:
    """The query counts of the test-client pass that correspond to a page of the load mix."""
    names = [name for name in queries if name == page or name.startswith(page.split(" (")[0])]
    if page == "statistics":
        names = [name for name in queries if name.startswith("statistics")]
    counts = sorted({queries[name]["queries"] for name in names})
    if not counts:
        return ""
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"


def _profile_head(where: str, lines: int = 25) -> list[str]:
    """The functions that took the most time, from the flat profile, without the frames that
    merely enclose everything (the test client, the middleware chain, the step itself)."""
    path = Path(where).with_suffix(".flat.txt")
    try:
        text = path.read_text().splitlines()
    except OSError:
        return [f"(profile missing: {path})"]
    start = next((i for i, line in enumerate(text) if line.startswith("Profile at")), -1) + 1
    entries = [line for line in text[start:] if line.strip()]
    if not entries:
        return []
    total = float(entries[0].split()[0])
    inner = [line for line in entries if float(line.split()[0]) < 0.9 * total]
    return [f"total {total:.3f} s", *inner[:lines]]


if __name__ == "__main__":
    # Render the page again from the last run's results (after a change to this file).
    import json
    import sys

    root = Path(__file__).resolve().parent.parent
    results = json.loads(Path(sys.argv[1] if len(sys.argv) > 1 else root / "var/bench/results.json").read_text())
    write(results, root / "docs" / "performance.md")
