"""The named pages the saturation bench measures, built from a load plan."""

from bench import pages

PLAN = {
    "lists": [
        {"name": "all", "label": "Alle avvik", "url": "/avvik/alle/", "group": "coordinator", "ordering": "-created"},
        {
            "name": "handling",
            "label": "Til behandling",
            "url": "/avvik/til-behandling/",
            "group": "handler",
            "ordering": "urgent",
        },
        {
            "name": "mine",
            "label": "Mine avvik",
            "url": "/avvik/mine/",
            "group": "reporter",
            "ordering": "waiting_first",
        },
    ],
    "filters": {"categories": [7, 8], "words": ["epikrise"], "periods": ["2026Q3", "2025"]},
    "coordinators": [{"email": "k@example.test", "refs": ["AV-1"]}],
}


def test_every_list_has_a_default_a_filter_a_sort_and_page_five():
    urls = [page["url"] for page in pages.named_pages(PLAN) if page["kind"] == "list"]
    assert urls == [
        "/avvik/alle/",
        "/avvik/alle/?category=7",
        "/avvik/alle/?ordering=answer_due",
        "/avvik/alle/?page=5",
        "/avvik/til-behandling/",
        "/avvik/til-behandling/?category=7",
        "/avvik/til-behandling/?ordering=-created",
        "/avvik/til-behandling/?page=5",
        "/avvik/mine/",
        "/avvik/mine/?category=7",
        "/avvik/mine/?ordering=-created",
        "/avvik/mine/?page=5",
    ]


def test_each_list_is_asked_for_by_the_role_that_uses_it():
    people = {page["url"]: page["people"] for page in pages.named_pages(PLAN)}
    assert people["/avvik/alle/"] == "coordinators"
    assert people["/avvik/til-behandling/"] == "handlers"
    assert people["/avvik/mine/"] == "reporters"


def test_search_detail_filing_and_both_statistics_periods_are_measured_with_their_targets():
    kinds = {page["url"]: page["kind"] for page in pages.named_pages(PLAN)}
    assert kinds["/avvik/alle/?q=epikrise"] == "search"
    assert kinds["/avvik/AV-1/"] == "detail"
    assert kinds["/avvik/ny/"] == "filing"
    assert kinds["/statistikk/?period=2026Q3"] == kinds["/statistikk/?period=2025"] == "statistics"
    assert set(kinds.values()) == set(pages.TARGETS)


def test_bench_pages_chooses_pages_by_name():
    chosen = pages.select(pages.named_pages(PLAN), "statistics|til behandling, default")
    assert [page["name"] for page in chosen] == [
        "list: Til behandling, default",
        "statistics, quarter 2026Q3",
        "statistics, year 2025",
    ]
    assert pages.select(chosen, "") == chosen


def test_the_search_word_is_quoted_in_the_url():
    plan = {**PLAN, "filters": {**PLAN["filters"], "words": ["kjøring"]}}
    search = next(page for page in pages.named_pages(plan) if page["kind"] == "search")
    assert search["url"] == "/avvik/alle/?q=kj%C3%B8ring"


def test_two_queues_with_one_label_are_named_apart_by_their_group():
    overdue = [
        {"name": "overdue", "label": "Forfalt", "url": "/avvik/forfalt/", "group": "coordinator", "ordering": "x"},
        {"name": "handling_overdue", "label": "Forfalt", "url": "/avvik/h/", "group": "handler", "ordering": "x"},
    ]
    names = [page["name"] for page in pages.named_pages({**PLAN, "lists": PLAN["lists"] + overdue})]
    assert len(names) == len(set(names))
    assert "list: Forfalt (coordinator), default" in names
    assert "list: Forfalt (handler), page 5" in names
    assert "list: Alle avvik, default" in names
