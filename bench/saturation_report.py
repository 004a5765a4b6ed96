"""The saturation sections of docs/performance.md: pages against the floor, one request alone,
and each middleware's cost (results from bench/saturation.py and bench/single.py)."""

from statistics import median

from bench import wrk
from bench.pages import BARE_FLOOR, BARE_VARIANT, FLOOR, FLOOR_TARGET, LAYOUT_FLOOR, TARGETS


def _ratio(value: float | None) -> str:
    return f"{value:.2f}×" if value is not None else "–"


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "**missed**")


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _range(values: list[float] | None) -> str:
    if not values:
        return "–"
    low, high = values
    return f"{low:g}–{high:g}" if low != high else f"{low:g}"


def floor_line(saturation: dict) -> str:
    """Our floor against the bare Django floor, in one sentence (also used in the page's summary)."""
    ours, bare = saturation["pages"].get(FLOOR), saturation["pages"].get(BARE_FLOOR)
    if not ours or not bare or ours["rps"] is None or bare["rps"] is None:
        return "The floors were not measured."
    return (
        f"Our floor (the raw SQL page behind our middleware) served {ours['rps']:g} req/s with a p95 of "
        f"{ours['p95']:g} ms; the bare Django floor (the same page with only Django's session and authentication "
        f"middleware) {bare['rps']:g} req/s and {bare['p95']:g} ms: ours is {_ratio(ours['p95_ratio'])} the bare "
        f"floor's p95 and {_ratio(ours['rps_ratio'])} its time per request (target {FLOOR_TARGET:g}×: "
        f"{_verdict(ours['met']) or 'not measured'})."
    )


def section(saturation: dict, single: dict | None) -> list[str]:
    config, rows = saturation["settings"], saturation["pages"]
    single = single or {}
    per_run = config["seconds"] / config["rounds"]
    met = [name for name in saturation["order"] if rows.get(name, {}).get("met") is True]
    missed = [name for name in saturation["order"] if rows.get(name, {}).get("met") is False]
    lines = [
        "## Pages under saturation",
        "",
        f"gunicorn with {config['workers']} sync workers on 127.0.0.1 (DEBUG off, Redis of its own), `wrk` with "
        f"{config['connections']} connections and no think time: a closed loop, so a slow page shows as queueing. "
        f"Each page is driven for {per_run:g} s in each of {config['rounds']} rounds; in every round the bare "
        f"floor and our floor come first, and our floor again after every {config['floor_every']} pages and at "
        f"the end. A page whose run finishes fewer than {wrk.ENOUGH_REQUESTS} requests is run again for longer "
        f"(up to {wrk.LONGEST_RUN:g} s). A page's ratios are to our floor measured just before and after it in "
        "the same round: "
        "× p95 is the page's p95 over the floor's, × time is the floor's req/s over the page's (for both, "
        "higher is slower). Figures are medians over the rounds, with the range over the rounds beside the p95. "
        f"Requests carry one of {config['sessions']} signed-in sessions per role in turn, each made with the "
        "login form. The targets (issue #20) are ratios: "
        + ", ".join(f"{kind} within {target:g}×" for kind, target in TARGETS.items())
        + f"; a target is met when both ratios are within it. {len(met)} met, {len(missed)} missed.",
        "",
        "The next four columns are one request at a time through Django's test client (the whole middleware "
        "chain, no network; the median of several after a warm-up): its time, the part spent waiting for "
        "PostgreSQL (a `connection.execute_wrapper` timer) and the rest, Python. The last, least ×, is the "
        "least the page can cost as its queries stand, as a ratio to our floor: the layout floor's time alone "
        "and the page's own SQL time beyond the layout's, over our floor's time alone (see the lower bound "
        "below the table). Our floor and the layout floor are asked for in turn with each page, request by "
        "request, and its least × is from those: times taken together, not minutes apart on a machine whose "
        "speed drifts. The floors' own rows give the medians over the whole step.",
        "",
        "| page | p95 ms (rounds) | req/s | × p95 | × time | target | | alone ms | SQL ms | queries | Python ms "
        "| least × |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in saturation["order"]:
        row = rows.get(name)
        if row is None:
            continue
        alone = single.get(name, {})
        errors = f" ({row['errors']} errors)" if row["errors"] else ""
        if row["empty_runs"]:
            errors += f" ({row['empty_runs']} runs without a finished request)"
        target = f"≤ {row['target']:g}×" if row["target"] else ""
        lines.append(
            f"| {name}{errors} | {_number(row['p95'])} ({_range(row['p95_range'])}) | {_number(row['rps'])} "
            f"| {_ratio(row['p95_ratio'])} | {_ratio(row['rps_ratio'])} | {target} | {_verdict(row['met'])} "
            f"| {alone.get('ms', '')} | {alone.get('sql_ms', '')} | {alone.get('queries', '')} "
            f"| {alone.get('python_ms', '')} | {_least_text(least_ratio(name, single))} |"
        )
    layout_alone = single.get(LAYOUT_FLOOR)
    if LAYOUT_FLOOR not in rows and layout_alone and "ms" in layout_alone:
        # A run from before the layout floor was driven under saturation: its one-request figures.
        lines.append(
            f"| {LAYOUT_FLOOR} (one request at a time only) | – | – | – | – | | | {layout_alone['ms']} "
            f"| {layout_alone['sql_ms']} | {layout_alone['queries']} | {layout_alone['python_ms']} | |"
        )
    lines += lower_bound(saturation, single)
    skipped = saturation.get("skipped") or {}
    if skipped:
        lines += ["", "Left out, because they did not answer 200 before the run:", ""]
        lines += [f"- {name}: {reason}" for name, reason in skipped.items()]
    urls = saturation.get("urls", {})
    if urls:
        lines += ["", "<details><summary>The URL of each page</summary>", ""]
        lines += [f"- {name}: `{url}`" for name, url in urls.items()]
        lines += ["", "</details>"]
    return lines


def least_ratio(name: str, single: dict) -> float | None:
    """The least a page can cost, one request at a time, as a ratio to our floor: the layout floor
    (which every page is drawn in) and the page's own queries (its SQL time beyond the layout's).
    None for the floors, and where the one-request figures are missing."""
    if name in (FLOOR, BARE_FLOOR, LAYOUT_FLOOR):
        return None
    page = single.get(name, {})
    # The floors taken in turn with the page where they were (bench/single.py), else the run's.
    beside = page.get("beside") or {}
    layout, floor = single.get(LAYOUT_FLOOR, {}), single.get(FLOOR, {})
    floor_ms = beside.get("floor_ms", floor.get("ms"))
    layout_ms = beside.get("layout_ms", layout.get("ms"))
    layout_sql_ms = beside.get("layout_sql_ms", layout.get("sql_ms"))
    if not floor_ms or layout_ms is None or layout_sql_ms is None or "sql_ms" not in page:
        return None
    return (layout_ms + max(0.0, page["sql_ms"] - layout_sql_ms)) / floor_ms


def _least_text(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.2f}×"


def _layout_ratio(saturation: dict, single: dict) -> tuple[float, str] | None:
    """The layout floor's time over our floor's: under saturation where it was driven there,
    else one request at a time; with the words that say which."""
    row = saturation["pages"].get(LAYOUT_FLOOR)
    if row and row["rps_ratio"] is not None and row["p95_ratio"] is not None:
        return max(row["rps_ratio"], row["p95_ratio"]), "under saturation (the larger of its two ratios)"
    layout, floor = single.get(LAYOUT_FLOOR, {}), single.get(FLOOR, {})
    if layout.get("ms") and floor.get("ms"):
        return layout["ms"] / floor["ms"], (
            f"one request at a time ({layout['ms']:g} ms against {floor['ms']:g} ms; this run did not drive it "
            "under saturation)"
        )
    return None


def lower_bound(saturation: dict, single: dict) -> list[str]:
    """What no page can cost less than: the floor's rows in the site's own layout, as a ratio to our
    floor, and which of the issue's targets lie below it."""
    found = _layout_ratio(saturation, single)
    if found is None:
        return []
    ratio, how = found
    below = [f"{kind} ({target:g}×)" for kind, target in TARGETS.items() if target < ratio]
    lines = [
        "",
        f"**Lower bound.** The floor's rows in the site's own layout (`/bench/layout/`: `base.html` with the "
        f"navigation, its queue counts and what the context processors put on every page, and nothing of any "
        f"page) took {ratio:.2f}× our floor's time, {how}. Every page of the site is rendered in that layout, "
        "so none can come closer to the floor than this without a cheaper layout",
    ]
    if below:
        lines[-1] += ": the targets for " + ", ".join(below) + " lie below it and cannot be met by the pages alone."
    else:
        lines[-1] += "; every target lies above it."
    missed = [
        (name, row["rps_ratio"])
        for name in saturation["order"]
        if (row := saturation["pages"].get(name)) and row.get("met") is False and name != FLOOR and row["rps_ratio"]
    ]
    bounded = [
        (name, least, row["target"])
        for name in saturation["order"]
        if (row := saturation["pages"].get(name))
        and row.get("met") is False
        and row["target"]
        and (least := least_ratio(name, single)) is not None
        and least > row["target"]
    ]
    if bounded:
        lines[-1] += (
            f" Each page must also run its own queries: for {len(bounded)} missed pages the layout floor and "
            "their SQL time alone already exceed their target (least ×, from "
            f"{min(least for _n, least, _t in bounded):.2f}× to {max(least for _n, least, _t in bounded):.2f}×), "
            "so those targets cannot be met with the queries as they stand."
        )
    if missed and saturation["pages"].get(LAYOUT_FLOOR):
        own = sorted(page_ratio / ratio for _name, page_ratio in missed)
        lines[-1] += (
            f" Over the layout, the {len(missed)} missed pages cost {own[0]:.2f}–{own[-1]:.2f}× its time "
            f"(median {median(own):.2f}×): that part is each page's own work."
        )
    return lines


def middleware_section(middleware: dict) -> list[str]:
    config = middleware["settings"]
    variants = middleware["variants"]
    alone = middleware.get("alone") or {}
    pairs = config.get("pairs", 1)
    bare = next((v for v in variants if v["variant"] == "bare" and v.get("rps")), None)
    lines = [
        "## What each middleware costs",
        "",
        "The floor page under the same saturation, served by a gunicorn started with one of our middleware "
        "left out (`BENCH_WITHOUT_MIDDLEWARE`, read by `bench/settings.py`); Django's session and "
        "authentication middleware stay, as in the bare floor. After a second of warm-up, each variant runs "
        f"{pairs} × {config['middleware_seconds'] / pairs:g} s, each run paired with one as long of a gunicorn "
        "with all our middleware that is kept running beside it (the variant first, then the other way "
        "round), and is compared with those: a variant is measured seconds, not minutes, from what it is "
        "compared with. With both workers busy all the time "
        "a request holds a worker for about 2 / req/s seconds, so the difference estimates each one's own "
        "time per request. Short runs on a shared machine vary by several per cent: read small differences "
        "as noise.",
        "",
    ]
    if alone.get("own_ms"):
        lines += [
            f"The last column is the same in one process, one request at a time through Django's test client "
            f"({alone['requests']} floor pages per variant, the variants taking turns request by request so "
            "that the machine's drift falls on all of them alike): the median time with all our middleware "
            f"({alone['all_ms']:g} ms) less the median without it. No network and no queueing, so it is "
            "the middleware's own work. A middleware that is the first to read the signed-in person or their "
            "roles carries that read here; without it a later one, or the page, reads them instead.",
            "",
        ]
    if bare:
        site = bare["beside"]["rps"]
        line = (
            f"The bare Django floor: {bare['rps']:g} req/s (p95 {bare['p95']:g} ms) against {site:g} req/s "
            f"with all our middleware beside it, {site and bare['rps'] / site:.2f}× as many"
        )
        if BARE_VARIANT in alone.get("own_ms", {}):
            line += f"; in one process our middleware add {alone['own_ms'][BARE_VARIANT]:g} ms to the bare floor's time"
        lines += [line + ".", ""]
    own = alone.get("own_ms", {})
    lines += [
        "| without | req/s | p95 ms | with all, beside | req/s gained | ≈ ms per request | own ms, one process |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in middleware["costs"]:
        alone_ms = "" if row["without"] not in own else f"{own[row['without']]:g}"
        lines.append(
            f"| `{row['without']}` | {row['rps']:g} | {row['p95']:g} | {row.get('beside_rps', 0):g} "
            f"| {100 * row['gain']:+.1f} % | {row['ms_per_request']:g} | {alone_ms} |"
        )
    failed = [v for v in variants if v.get("error")] + [
        {"without": name, "error": why} for name, why in alone.get("refused", {}).items()
    ]
    if failed:
        lines += ["", "Variants that could not serve the floor page:", ""]
        lines += [f"- without `{v['without'] or 'any'}`: {v['error']}" for v in failed]
    return lines
