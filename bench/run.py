"""`make bench`: seed the benchmark data once, measure, and write docs/performance.md."""

import json
import os
import platform
import subprocess
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGETS = {"total_seconds": 10, "peak_rss_mb": 400}


def manage(*args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def main() -> None:
    manage("migrate", "--no-input", "-v", "0")
    print(manage("bench_report", "--cases", "10000").strip())
    runs = [json.loads(manage("bench_report", "--measure").strip().splitlines()[-1]) for _ in range(3)]
    best = min(runs, key=lambda r: r["total_seconds"])
    worst_memory = max(r["peak_rss_mb"] for r in runs)
    database = os.environ.get("DATABASE_URL", "sqlite (embedded)").split("@")[-1]
    verdict = (
        "met"
        if best["total_seconds"] < TARGETS["total_seconds"] and worst_memory < TARGETS["peak_rss_mb"]
        else "MISSED"
    )
    section = f"""# Performance

Measured by `make bench` on {datetime.now():%Y-%m-%d %H:%M}; reproduce with the same command.

Machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, database {database}.

## Quarterly council report

A quarter with {best["cases"]:,} cases in one partnership: the statistics selector, then HTML to
PDF with WeasyPrint (charts, tables), each run in a fresh process so peak memory is the report's own.
Best of three runs for time; the highest peak memory of the three.

| step | result | target |
|---|---|---|
| statistics | {best["statistics_seconds"]} s | |
| PDF | {best["pdf_seconds"]} s | |
| total | {best["total_seconds"]} s | under {TARGETS["total_seconds"]} s |
| peak memory (whole process) | {worst_memory} MB | under {TARGETS["peak_rss_mb"]} MB |
| PDF size | {best["pdf_bytes"] / 1024:.0f} KiB | |

Targets {verdict}.
"""
    path = ROOT / "docs" / "performance.md"
    path.write_text(section)
    print(section)


if __name__ == "__main__":
    main()
