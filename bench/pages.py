"""The named pages `make bench` measures under saturation and one at a time, and their targets.

Built from the load plan (`python -m bench.measure plan`), which names the lists and the people:
every list (each with its default view, one filter, one sort and page 5), text search, a case,
the filing form and the statistics for a quarter and a year. Each page is asked for by a person
in the role that uses it.
"""

import re
from urllib.parse import quote

FLOOR_PATH = "/bench/raw/"  # bench/baseline.py
FLOOR = "floor: raw SQL page, our middleware"
BARE_FLOOR = "floor: raw SQL page, bare Django"
LAYOUT_FLOOR_PATH = "/bench/layout/"  # bench/baseline.py
LAYOUT_FLOOR = "floor: raw SQL rows in the site's layout"
# The middleware variant with only Django's session and authentication middleware (bench/settings.py).
BARE_VARIANT = "bare"

# The targets (#20), as the highest ratio to our floor measured in the same run.
TARGETS = {"list": 2.0, "detail": 2.0, "filing": 2.0, "search": 4.0, "statistics": 3.0}
# Our floor against the bare Django floor.
FLOOR_TARGET = 1.2

# Who opens each group of lists (avvik.cases.queues), by the plan's key for people in that role.
PEOPLE_OF_GROUP = {"coordinator": "coordinators", "handler": "handlers", "reporter": "reporters"}


def list_variants(entry: dict, category: int) -> list[tuple[str, str]]:
    """A list's default view, one filter, one sort (one that is not the list's default) and page 5."""
    sort = "answer_due" if entry["ordering"] == "-created" else "-created"
    return [
        ("default", ""),
        ("filtered", f"?category={category}"),
        (f"sorted by {sort}", f"?ordering={sort}"),
        ("page 5", "?page=5"),
    ]


def named_pages(plan: dict) -> list[dict]:
    """Every page to measure: name, kind (its target), URL and the plan key of who asks for it."""
    filters = plan["filters"]
    category = filters["categories"][0]
    coordinator = "coordinators"
    pages = []
    labels = [entry["label"] for entry in plan["lists"]]
    for entry in plan["lists"]:
        # Two queues may share a label in different groups ("Forfalt"): the group tells them apart.
        label = entry["label"] if labels.count(entry["label"]) == 1 else f"{entry['label']} ({entry['group']})"
        for variant, query in list_variants(entry, category):
            pages.append(
                {
                    "name": f"list: {label}, {variant}",
                    "kind": "list",
                    "url": entry["url"] + query,
                    "people": PEOPLE_OF_GROUP[entry["group"]],
                }
            )
    everything = next(entry for entry in plan["lists"] if entry["name"] == "all")
    word = filters["words"][0]
    pages.append(
        {
            "name": f"search: {everything['label']}, q={word}",
            "kind": "search",
            "url": f"{everything['url']}?q={quote(word)}",
            "people": coordinator,
        }
    )
    ref = plan[coordinator][0]["refs"][0]
    pages.append({"name": "case detail", "kind": "detail", "url": f"/avvik/{ref}/", "people": coordinator})
    pages.append({"name": "filing form (GET)", "kind": "filing", "url": "/avvik/ny/", "people": "reporters"})
    quarter, year = filters["periods"][:2]
    for label, period in (("quarter", quarter), ("year", year)):
        pages.append(
            {
                "name": f"statistics, {label} {period}",
                "kind": "statistics",
                "url": f"/statistikk/?period={period}",
                "people": coordinator,
            }
        )
    return pages


def select(pages: list[dict], pattern: str) -> list[dict]:
    """The pages whose name matches BENCH_PAGES (a regular expression; empty: all of them)."""
    if not pattern:
        return pages
    matcher = re.compile(pattern, re.IGNORECASE)
    return [page for page in pages if matcher.search(page["name"])]
