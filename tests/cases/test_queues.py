"""Work queues: which cases each queue holds under the visibility rules, their order, the capped
counts in the navigation, and the translated sort labels."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from avvik.cases import queues
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.queues import QUEUES, capped_counts, forget_count_statements, queue_counts
from avvik.tenancy.models import User
from tests.builders import drive, file_case
from tests.factories import OrganisationFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(coordinator, handler, reporter):
    return {"coordinator": coordinator, "handler": handler, "reporter": reporter}


def case_in(status, world, path, **overrides) -> Deviation:
    return drive(file_case(path["reporter"], world.municipality, **overrides), status, **path)


def references(client, url, data=None) -> list[str]:
    """The case references a list page shows, in the order shown."""
    response = client.get(url, data)
    assert response.status_code == 200
    return re.findall(r'<a href="/avvik/(SA-[^/]+)/">', response.content.decode())


def counts_of(user) -> dict[str, int]:
    return {item.queue.name: item.count for item in queue_counts(user)}


def badge(body: str, label: str) -> str:
    """The count text of the queue link named `label` in the navigation."""
    nav = body[body.index('id="main-nav"') : body.index("</nav>", body.index('id="main-nav"'))]
    found = re.search(
        rf">{re.escape(label)}\s*<span class=\"badge[^\"]*\"[^>]*><span aria-hidden=\"true\">([^<]+)</span>"
        rf"<span class=\"visually-hidden\">\(([^)]+)\)</span>",
        nav,
    )
    assert found, f"no count beside {label!r}"
    return f"{found.group(1)}|{found.group(2)}"


def set_due(deviation: Deviation, **dates) -> None:
    Deviation.objects.filter(pk=deviation.pk).update(**dates)


# Which cases each queue holds ----------------------------------------------------------------


def test_the_contact_points_queues_hold_new_answered_overdue_and_waiting_cases(client, world, path, coordinator):
    new = case_in(Status.SUBMITTED, world, path)
    answered = case_in(Status.ANSWERED, world, path)
    waiting = case_in(Status.WAITING, world, path)
    late = case_in(Status.IN_PROGRESS, world, path)
    set_due(late, answer_due=timezone.localdate() - timedelta(days=3))
    closed = case_in(Status.CLOSED, world, path)
    client.force_login(coordinator)
    assert references(client, reverse("cases:triage")) == [new.reference]
    assert references(client, reverse("cases:answered")) == [answered.reference]
    assert references(client, reverse("cases:waiting")) == [waiting.reference]
    assert references(client, reverse("cases:overdue")) == [late.reference]
    assert counts_of(coordinator) == {"triage": 1, "answered": 1, "overdue": 1, "waiting": 1}
    assert closed.reference not in client.get(reverse("cases:overdue")).content.decode()


def test_a_handlers_queues_hold_their_own_organisations_cases_only(client, world, path, handler, outsider):
    mine = case_in(Status.IN_PROGRESS, world, path)  # accepted by the handler: assigned to them
    unassigned = case_in(Status.FORWARDED, world, path)
    late = case_in(Status.FORWARDED, world, path)
    set_due(late, answer_due=timezone.localdate() - timedelta(days=1))
    # Forwarded to another organisation of the partnership: not the handler's.
    elsewhere = file_case(path["reporter"], world.bystander_org)
    from avvik.cases import services

    services.deviation_transition(action="forward", deviation=elsewhere, by=path["coordinator"], to=world.bystander_org)
    client.force_login(handler)
    assert references(client, reverse("cases:assigned")) == [mine.reference]
    assert set(references(client, reverse("cases:unassigned"))) == {unassigned.reference, late.reference}
    assert references(client, reverse("cases:handling_overdue")) == [late.reference]
    assert counts_of(handler) == {"assigned": 1, "unassigned": 2, "handling_overdue": 1, "handling": 3}
    # The other organisation's handler counts only that one.
    assert counts_of(outsider) == {"assigned": 0, "unassigned": 1, "handling_overdue": 0, "handling": 1}


def test_a_reporters_count_is_their_own_cases_waiting_for_their_answer(world, path, reporter, colleague_reporter):
    case_in(Status.WAITING, world, path)
    case_in(Status.SUBMITTED, world, path)
    colleagues = {**path, "reporter": colleague_reporter}
    case_in(Status.WAITING, world, colleagues)
    case_in(Status.WAITING, world, colleagues)
    assert counts_of(reporter) == {"mine": 1}
    assert counts_of(colleague_reporter) == {"mine": 2}


def test_ended_cases_are_out_of_working_queues_until_the_status_filter_asks_for_them(client, world, path, handler):
    open_case = case_in(Status.IN_PROGRESS, world, path)
    answered = case_in(Status.ANSWERED, world, path)
    closed = case_in(Status.CLOSED, world, path)
    client.force_login(handler)
    # "For handling": what the organisation still works on; neither answered nor closed cases.
    assert references(client, reverse("cases:handling")) == [open_case.reference]
    # "My cases": open ones, the answered one too, never the closed one.
    assert set(references(client, reverse("cases:assigned"))) == {open_case.reference, answered.reference}
    # The filter shows them when asked.
    assert references(client, reverse("cases:handling"), {"status": "closed"}) == [closed.reference]
    body = client.get(reverse("cases:handling")).content.decode()
    assert "Vises her: Videresendt, Under behandling, Venter på melder." in body
    assert "Vises her" not in client.get(reverse("cases:handling"), {"status": "closed"}).content.decode()


def test_each_queue_is_refused_to_those_without_its_role(client, world, reporter, handler, coordinator):
    refused = {
        reporter: ["triage", "answered", "overdue", "waiting", "assigned", "unassigned", "handling_overdue"],
        handler: ["triage", "answered", "overdue", "waiting", "mine"],
        coordinator: ["assigned", "unassigned", "handling_overdue", "handling", "mine"],
    }
    for person, names in refused.items():
        client.force_login(person)
        for name in names:
            assert client.get(reverse(f"cases:{name}")).status_code == 403, (person, name)


def test_another_partnerships_cases_are_never_counted(world, path, coordinator, foreigner, other_reporter):
    case_in(Status.SUBMITTED, world, path)
    case_in(Status.SUBMITTED, world, path)
    file_case(other_reporter, OrganisationFactory(partnership=world.other_partnership))
    assert counts_of(coordinator)["triage"] == 2
    assert counts_of(foreigner)["triage"] == 1


# Order ---------------------------------------------------------------------------------------


def test_a_queue_lists_the_most_urgent_deadline_first_and_cases_without_one_last(client, world, path, coordinator):
    today = timezone.localdate()
    waiting = case_in(Status.WAITING, world, path)  # the clock is paused: no deadline
    later = case_in(Status.FORWARDED, world, path)
    set_due(later, answer_due=today + timedelta(days=9))
    sooner = case_in(Status.IN_PROGRESS, world, path)
    set_due(sooner, answer_due=today + timedelta(days=2))
    new = case_in(Status.SUBMITTED, world, path)
    set_due(new, triage_due=today + timedelta(days=4), answer_due=today - timedelta(days=30))  # triage counts
    late = case_in(Status.FORWARDED, world, path)
    set_due(late, answer_due=today - timedelta(days=1))
    client.force_login(coordinator)
    shown = references(client, reverse("cases:all"), {"ordering": "urgent"})
    assert shown == [late.reference, sooner.reference, new.reference, later.reference, waiting.reference]


def test_the_queue_order_is_the_default_and_another_can_be_chosen(client, world, path, handler):
    today = timezone.localdate()
    first = case_in(Status.FORWARDED, world, path)
    set_due(first, answer_due=today + timedelta(days=8))
    second = case_in(Status.FORWARDED, world, path)
    set_due(second, answer_due=today + timedelta(days=1))
    client.force_login(handler)
    assert references(client, reverse("cases:unassigned")) == [second.reference, first.reference]
    assert references(client, reverse("cases:unassigned"), {"ordering": "created"}) == [
        first.reference,
        second.reference,
    ]


def test_a_reporter_sees_what_needs_their_answer_first_and_ended_cases_last(client, world, path, reporter):
    closed = case_in(Status.CLOSED, world, path)
    waiting = case_in(Status.WAITING, world, path)
    new = case_in(Status.SUBMITTED, world, path)
    client.force_login(reporter)
    assert references(client, reverse("cases:mine")) == [waiting.reference, new.reference, closed.reference]


# Counts in the navigation ------------------------------------------------------------------


def test_the_navigation_shows_each_queue_with_its_count_in_words(client, world, path, coordinator):
    case_in(Status.SUBMITTED, world, path)
    case_in(Status.SUBMITTED, world, path)
    case_in(Status.ANSWERED, world, path)
    client.force_login(coordinator)
    body = client.get(reverse("cases:all")).content.decode()
    assert badge(body, "Mottak og fordeling") == "2|2 saker"
    assert badge(body, "Besvart – til lukking") == "1|1 sak"
    assert badge(body, "Venter på melder") == "0|0 saker"


def test_a_reporters_navigation_counts_what_waits_for_them(client, world, path, reporter):
    case_in(Status.WAITING, world, path)
    client.force_login(reporter)
    body = client.get(reverse("cases:all")).content.decode()
    assert badge(body, "Mine meldte avvik") == "1|1 sak venter på svar fra deg"


def test_counts_are_capped_and_shown_as_99_plus(client, world, path, coordinator):
    template = case_in(Status.SUBMITTED, world, path)
    copies = []
    for i in range(120):
        copy = Deviation.objects.get(pk=template.pk)
        copy.pk = None
        copy.reference = f"SA-2026-CAP{i:03d}"
        copies.append(copy)
    Deviation.objects.bulk_create(copies)
    assert counts_of(coordinator)["triage"] == 100
    client.force_login(coordinator)
    body = client.get(reverse("cases:all")).content.decode()
    assert badge(body, "Mottak og fordeling") == "99+|over 99 saker"


def test_every_queue_is_counted_in_one_query_once_per_request(client, world, path, coordinator, handler):
    grant(coordinator, "handler", organisation=world.municipality)  # both roles: seven queues
    case_in(Status.SUBMITTED, world, path)
    querysets = [queue.counted_cases(coordinator) for queue in QUEUES.values() if queue.name != "mine"]
    with CaptureQueriesContext(connection) as context:
        capped_counts(querysets, cap=100)
    assert len(context.captured_queries) == 1
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as context:
        client.get(reverse("cases:triage"))
    # The queue counts (the bell counts its notices the same way, in a statement of its own).
    counting = [q["sql"] for q in context.captured_queries if "capped_0" in q["sql"] and "cases_deviation" in q["sql"]]
    assert len(counting) == 1  # the navigation and the list page's queue bar share it


@pytest.fixture
def statements_made(monkeypatch):
    """How many times the navigation's count statement was made from querysets (not kept)."""
    forget_count_statements()
    made = []
    real = queues.capped_counts_statement

    def spy(querysets, *, cap):
        made.append(len(querysets))
        return real(querysets, cap=cap)

    monkeypatch.setattr(queues, "capped_counts_statement", spy)
    yield made
    forget_count_statements()


def test_the_count_statement_is_made_once_and_counts_what_is_there_at_each_request(
    world, path, coordinator, statements_made
):
    case_in(Status.SUBMITTED, world, path)
    assert counts_of(coordinator)["triage"] == 1
    case_in(Status.SUBMITTED, world, path)
    case_in(Status.ANSWERED, world, path)
    fresh = User.objects.get(pk=coordinator.pk)  # a new request: roles read again, equal
    assert counts_of(fresh)["triage"] == 2
    assert counts_of(fresh)["answered"] == 1
    assert statements_made == [4]


def test_new_roles_make_a_new_count_statement(world, path, coordinator, statements_made):
    case_in(Status.FORWARDED, world, path)
    assert set(counts_of(coordinator)) == {"triage", "answered", "overdue", "waiting"}
    grant(coordinator, "handler", organisation=world.municipality)
    fresh = User.objects.get(pk=coordinator.pk)
    assert counts_of(fresh)["handling"] == 1
    assert statements_made == [4, 8]


def test_a_kept_statement_is_never_another_persons(world, path, handler, statements_made):
    colleague = UserFactory()
    grant(colleague, "handler", organisation=world.municipality)
    mine = case_in(Status.FORWARDED, world, path)
    Deviation.objects.filter(pk=mine.pk).update(assignee=handler)
    assert counts_of(handler)["assigned"] == 1
    assert counts_of(colleague)["assigned"] == 0
    assert len(statements_made) == 2


def test_the_count_statement_is_made_anew_on_a_new_day(world, path, coordinator, statements_made):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        case = case_in(Status.SUBMITTED, world, path)
        set_due(case, triage_due=timezone.localdate())
        assert counts_of(coordinator)["overdue"] == 0
    with time_machine.travel("2026-11-24 09:00 +01:00", tick=False):
        assert counts_of(User.objects.get(pk=coordinator.pk))["overdue"] == 1
    assert len(statements_made) == 2


def test_a_case_merged_away_makes_a_new_count_statement(world, path, reporter, statements_made):
    """A reporter whose duplicate was merged reads the main case besides: the statement says so."""
    duplicate = case_in(Status.SUBMITTED, world, path)
    main = case_in(Status.SUBMITTED, world, path)
    counts_of(reporter)
    Deviation.objects.filter(pk=duplicate.pk).update(merged_into=main, status=Status.MERGED)
    counts_of(User.objects.get(pk=reporter.pk))
    assert len(statements_made) == 2


def test_a_person_without_a_queue_has_no_counts(client, world):
    nobody = UserFactory()
    assert queue_counts(nobody) == []
    client.force_login(nobody)
    assert "badge" not in client.get(reverse("pages:home")).content.decode()


# The list page -------------------------------------------------------------------------------


def test_the_search_box_is_always_visible_above_the_list(client, world, coordinator):
    client.force_login(coordinator)
    body = client.get(reverse("cases:triage")).content.decode()
    assert body.index('id="id_q"') < body.index("<details")
    assert 'id="id_ordering"' in body[body.index("<details") : body.index("</details>")]


@pytest.mark.parametrize(
    ("language", "shown", "absent"),
    [
        ("nb", ["Mest presserende frist først", "Svarfrist, tidligste først", "Referanse, synkende"], []),
        ("nn", ["Mest pressande frist først", "Svarfrist, tidlegaste først", "Referanse, søkkjande"], ["synkende"]),
        ("en", ["Most urgent deadline first", "Answer due, earliest first", "Reference, descending"], ["synkende"]),
    ],
)
def test_every_sort_label_is_in_the_persons_language(client, world, coordinator, language, shown, absent):
    coordinator.language = language
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    body = client.get(reverse("cases:triage")).content.decode()
    select = body[body.index('id="id_ordering"') : body.index("</select>", body.index('id="id_ordering"'))]
    for label in shown:
        assert label in select
    for word in [*absent, "Meldt, synkende", "descending)"]:
        assert word not in select
    # The queue's own order comes first.
    assert select.index(shown[0]) < select.index(shown[1])


@pytest.mark.postgres
def test_queue_counts_read_indexes_not_the_whole_table(world, path, coordinator, handler):
    """With a few thousand ended cases beside a handful of open ones, every queue's count is read
    through an index (EXPLAIN on PostgreSQL), the handlers' through the open cases' own index."""
    for status in (Status.SUBMITTED, Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING, Status.ANSWERED):
        case_in(status, world, path)
    ended = case_in(Status.CLOSED, world, path)
    copies = []
    for i in range(3000):
        copy = Deviation.objects.get(pk=ended.pk)
        copy.pk = None
        copy.reference = f"SA-2026-E{i:05d}"
        copies.append(copy)
    Deviation.objects.bulk_create(copies, batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_deviation")
    plans = {}
    for person in (coordinator, handler):
        for item in queue_counts(person):
            queryset = item.queue.counted_cases(person).order_by().values("pk")[:100]
            sql, params = queryset.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN SELECT COUNT(*) FROM ({sql}) AS capped", params)  # noqa: S608 - the ORM's SQL
                plans[item.queue.name] = "\n".join(row[0] for row in cursor.fetchall())
    assert set(plans) == {
        "triage",
        "answered",
        "overdue",
        "waiting",
        "assigned",
        "unassigned",
        "handling_overdue",
        "handling",
    }
    for name, plan in plans.items():
        assert "Seq Scan" not in plan, f"{name}:\n{plan}"
    # A handler's queues read an index of open cases only: the organisation and assignee one, or,
    # where the planner finds the partnership's open cases as few (its statistics decide), that one.
    open_indexes = ("deviation_open_resp_assignee", "deviation_open_created")
    for name in ("assigned", "unassigned"):
        assert any(index in plans[name] for index in open_indexes), f"{name}:\n{plans[name]}"
