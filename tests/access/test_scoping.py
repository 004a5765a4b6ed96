"""Need to know: a reporter reads what they filed, never a colleague's case, and never an internal note
but their own, wherever cases are read (the scoped querysets, the case page, lists, exports,
e-mails, the access log). The visibility matrix (test_visibility.py) asks every URL as every
persona; these tests look inside the answers."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from avvik.access.roles import roles_of
from avvik.access.scoping import case_rule
from avvik.cases import services
from avvik.cases.choices import Status
from avvik.cases.models import AccessLog, Attachment, Deviation, PatientReference, Transition
from avvik.cases.selectors import access_log_visible_to, visible_comments
from avvik.outbox.choices import NotificationKind, NotificationStatus
from avvik.outbox.delivery import daily_digests_write, send_notification
from avvik.outbox.emails import build_message, digest_items
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Delivery, Role
from avvik.tenancy.models import Membership, User
from tests.builders import drive, file_case
from tests.factories import UserFactory, grant
from tests.plans import generic_plan_of

pytestmark = pytest.mark.django_db


def nb(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def fresh(user: User) -> User:
    """The person read again: roles are kept on the user object for a request."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def filed(world, reporter, colleague_reporter, coordinator, handler):
    """The reporter's case, forwarded to the municipality and accepted; and the colleague's own case."""
    own = file_case(reporter, world.municipality, patient=True, attachment=True, title="Meldt av melder")
    own = drive(own, Status.IN_PROGRESS, coordinator=coordinator, handler=handler, reporter=reporter)
    colleagues = file_case(colleague_reporter, world.municipality, title="Meldt av kollega")
    return {"own": own, "colleagues": colleagues}


# The rule ---------------------------------------------------------------------------------


def test_a_reporter_reads_the_cases_they_filed_and_no_colleagues(filed, reporter, colleague_reporter):
    assert set(Deviation.objects.visible_to(reporter)) == {filed["own"]}
    assert set(Deviation.objects.visible_to(colleague_reporter)) == {filed["colleagues"]}


def test_a_reporter_at_the_responsible_organisation_reads_nothing_forwarded_to_it(filed, counterpart_reporter):
    assert filed["own"].responsible_organisation == counterpart_reporter.memberships.get().organisation
    assert not Deviation.objects.visible_to(counterpart_reporter).exists()


def test_handlers_and_the_contact_point_still_read_the_organisations_cases(
    filed, hospital_handler, handler, org_admin, coordinator
):
    both = {filed["own"], filed["colleagues"]}
    assert set(Deviation.objects.visible_to(hospital_handler)) == both  # the reporting organisation
    assert set(Deviation.objects.visible_to(coordinator)) == both
    # The municipality reads what was forwarded to it, not what is only about it.
    assert set(Deviation.objects.visible_to(handler)) == {filed["own"]}
    assert set(Deviation.objects.visible_to(org_admin)) == {filed["own"]}


def test_a_reporter_who_handles_elsewhere_reads_what_they_filed_and_where_they_handle(world, filed, reporter):
    grant(reporter, Role.HANDLER, organisation=world.bystander_org)
    bystander = UserFactory(email="melder@sidevik.test")
    grant(bystander, Role.REPORTER, organisation=world.bystander_org)
    from_the_bystander = file_case(bystander, world.hospital, title="Fra Sidevik")
    assert set(Deviation.objects.visible_to(fresh(reporter))) == {filed["own"], from_the_bystander}


def test_a_reporter_who_left_the_organisation_no_longer_reads_what_they_filed_there(world, filed, reporter):
    Membership.objects.filter(user=reporter).delete()
    grant(reporter, Role.REPORTER, organisation=world.municipality)
    assert not Deviation.objects.visible_to(fresh(reporter)).exists()


def test_what_hangs_on_a_case_follows_the_case(filed, reporter, colleague_reporter):
    own = filed["own"]
    for model in (Transition, Attachment, PatientReference):
        assert model.objects.visible_to(reporter).filter(deviation=own).exists(), model.__name__
        assert not model.objects.visible_to(colleague_reporter).filter(deviation=own).exists(), model.__name__


def test_the_reporter_is_the_only_person_a_case_asks(filed, reporter, handler):
    """ "Asked about" adds no case to what a reporter reads: a question goes to the person who filed."""
    services.deviation_transition(deviation=filed["own"], by=handler, action="wait", note="Når ble den sendt?")
    asked = Notification.objects.filter(kind=NotificationKind.QUESTION, deviation=filed["own"])
    assert {row.recipient for row in asked} == {reporter}


def test_a_person_without_a_role_in_a_case_gets_no_rule(world):
    assert case_rule(roles_of(UserFactory(email="ingen@test"))) is None


@pytest.mark.postgres
def test_a_reporters_list_can_use_the_reporters_index(filed, reporter):
    queryset = Deviation.objects.visible_to(reporter).order_by("-created_at")[:25]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would otherwise be scanned
        plan = queryset.explain()
    assert "deviation_reporter" in plan


@pytest.mark.postgres
def test_a_reporters_capped_count_reads_the_reporters_index_alone(filed, reporter):
    """The list's count asks for the reporter's organisations and partnerships as well as the
    reporter: the index carries both, so the count reads no table rows."""
    queryset = Deviation.objects.visible_to(reporter).order_by()[:1001]
    with CaptureQueriesContext(connection) as context:
        queryset.count()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # On a table this small the reporter's other index, whose keys begin the same, costs the
        # same; set aside for this transaction, it leaves the question whether this one suffices.
        cursor.execute("DROP INDEX deviation_reporter_waiting")
        cursor.execute(f"EXPLAIN {context.captured_queries[-1]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using deviation_reporter " in plan


@pytest.mark.postgres
def test_a_reporters_list_waiting_first_is_read_in_the_order_of_its_index(filed, reporter):
    """The list as it opens takes 25 cases in the index's order instead of sorting all the
    reporter's cases: the index's expression is the ordering's own."""
    queryset = Deviation.objects.visible_to(reporter).for_list().waiting_first()[:25]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")  # a sort then costs more than any index, if one fits
        plan = queryset.explain()
    assert "deviation_reporter_waiting" in plan
    assert "Sort" not in plan


def test_a_reporters_rule_names_the_reporter_and_their_organisations_in_the_statement(filed, reporter):
    """Each reporter's statements are planned for them: a plan kept for the average reporter would
    sort every case of one who filed thousands (avvik.core.literals.WrittenExact)."""
    organisation = filed["own"].reporting_organisation_id
    sql, params = Deviation.objects.visible_to(reporter).query.sql_with_params()
    assert f'"cases_deviation"."reporter_id" = {reporter.pk} ' in sql
    assert f'"cases_deviation"."reporting_organisation_id" IN ({organisation})' in sql
    assert list(params) == [filed["own"].partnership_id]  # the partnership alone stays a parameter


# Copies of a case (%(own)s) numbered %(first)s to %(last)s, with another id, reference, reporter
# and reporting organisation (SQL of the number n).
COPIES = """
    WITH own AS MATERIALIZED (SELECT to_jsonb(own) AS row FROM heavy own WHERE own.id = %(own)s)
    INSERT INTO heavy SELECT copy.* FROM own, generate_series(%(first)s::int, %(last)s::int) n,
    LATERAL jsonb_populate_record(NULL::heavy, own.row || jsonb_build_object(
        'id', 10000000 + n, 'reference', 'SA-H-' || n, 'reporter_id', {reporter},
        'reporting_organisation_id', {organisation}
    )) copy
"""


@pytest.mark.postgres
def test_a_heavy_reporters_later_page_is_read_in_the_index_order_by_a_kept_plan(filed, reporter):
    """A reporter who filed half of their organisation's cases, among many organisations and many
    reporters with fewer cases: the reporter and the organisation go together, which the cost of
    ANDing two indexes does not know. A plan kept for any reporter took a later page of the heavy
    one's list for the average reporter's handful and sorted all their cases; planned for this
    reporter, with the organisation a key of the reporter's index, it reads the page in the
    index's order, and no setting is needed to make it. Measured on a copy of the cases table with
    its statistics and indexes (built after the rows, as fast as one can): rows added to the table
    itself would stay behind as dead rows for the tests after this one."""
    own = filed["own"]
    organisation = own.reporting_organisation_id
    with connection.cursor() as cursor:
        # The stored search words become a plain column of the copy, copied with the rest of each row.
        cursor.execute(
            "CREATE TEMPORARY TABLE heavy (LIKE cases_deviation INCLUDING ALL EXCLUDING INDEXES EXCLUDING GENERATED) "
            "ON COMMIT DROP"
        )
        cursor.execute("INSERT INTO heavy SELECT * FROM cases_deviation WHERE id = %s", [own.pk])
        # The reporter's 600 cases and 20 colleagues' 600 beside them; 2,000 reporters' 98,800 in 400
        # other organisations.
        copies = [
            ("9000000 + n %% 20", str(organisation), 1, 600),
            (str(reporter.pk), str(organisation), 601, 1200),
            ("9000100 + n %% 2000", "9000000 + n %% 400", 1201, 100_000),
        ]
        for person, organisation_of, first, last in copies:
            sql = COPIES.format(reporter=person, organisation=organisation_of)
            cursor.execute(sql, {"own": own.pk, "first": first, "last": last})
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_deviation'")
        for name, definition in cursor.fetchall():
            table = definition.index(" ON ")
            using = definition.index(" USING ")
            cursor.execute(f"CREATE INDEX heavy_{name} ON heavy{definition[using:]}")
            assert definition[table:using].endswith("cases_deviation")
        cursor.execute("ANALYZE heavy")
        cursor.execute("SELECT count(*) FROM heavy WHERE reporter_id = %s", [reporter.pk])
        assert cursor.fetchone()[0] == 601
    sql, params = Deviation.objects.visible_to(fresh(reporter)).waiting_first()[100:125].query.sql_with_params()
    plan = generic_plan_of(sql.replace('"cases_deviation"', '"heavy"'), params)
    assert "Index Scan using heavy_deviation_reporter_waiting" in plan, plan
    assert "BitmapAnd" not in plan
    assert "Sort" not in plan


@pytest.mark.postgres
def test_a_list_filtered_by_category_reads_one_index_for_the_category_and_the_partnership(filed, coordinator):
    """The contact point's list asks for the partnership as well as the category: one index holds
    both, so the capped count and the page need not AND two bitmaps (the partnership's is large)."""
    category = filed["own"].category
    queryset = Deviation.objects.visible_to(coordinator).filter(category=category).order_by("-created_at")[:25]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = queryset.explain()
    assert "deviation_category_partner" in plan


@pytest.mark.postgres
def test_the_planner_is_told_that_a_category_belongs_to_one_partnership(filed):
    """Functional dependencies, so that a category's cases in its partnership are not estimated as
    a handful (the overdue list then read them all instead of its own indexes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkind, ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = stxrelid AND attnum = ANY(stxkeys)"
            " ORDER BY attname) FROM pg_statistic_ext WHERE stxname = 'deviation_category_dependencies'"
        )
        assert cursor.fetchone() == (["f"], ["category_id", "partnership_id"])


# Pages, lists and exports -------------------------------------------------------------------


def test_a_colleagues_case_is_404_on_its_page_and_every_page_under_it(client, filed, colleague_reporter):
    client.force_login(colleague_reporter)
    own = filed["own"]
    attachment = own.attachments.get()
    for url in (
        reverse("cases:detail", args=[own.reference]),
        reverse("cases:attachment", args=[own.reference, attachment.pk]),
        reverse("cases:patient", args=[own.reference]),
        reverse("cases:access_log", args=[own.reference]),
    ):
        assert client.get(url).status_code == 404, url
    assert not AccessLog.objects.filter(user=colleague_reporter).exists()


@pytest.mark.parametrize("name", ["cases:mine", "cases:all"])
@pytest.mark.parametrize("export", ["", "csv"])
def test_lists_and_exports_show_a_reporter_only_their_own_cases(client, filed, colleague_reporter, name, export):
    client.force_login(colleague_reporter)
    response = client.get(reverse(name), {"format": export} if export else {})
    assert response.status_code == 200
    content = response.getvalue().decode("utf-8-sig")
    assert filed["colleagues"].reference in content
    assert filed["own"].reference not in content


def test_a_search_by_reference_does_not_find_a_colleagues_case(client, filed, colleague_reporter):
    client.force_login(colleague_reporter)
    response = client.get(reverse("cases:all"), {"q": filed["own"].reference})
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("cases:detail", args=[filed["own"].reference]) not in body
    assert nb("None of the deviations you have reported match the filter.") in body


def test_a_reporter_who_filed_nothing_is_told_why_all_deviations_is_empty(client, filed, counterpart_reporter):
    client.force_login(counterpart_reporter)
    response = client.get(reverse("cases:all"))
    assert response.status_code == 200
    body = response.content.decode()
    assert nb("You see the deviations you have reported yourself, and you have not reported any yet.") in body
    assert filed["own"].reference not in body
    filtered = client.get(reverse("cases:all"), {"status": "in_progress"})
    assert filtered.status_code == 200
    assert nb("None of the deviations you have reported match the filter.") in filtered.content.decode()


def test_a_reporter_who_filed_nothing_sees_an_empty_own_list(client, filed, counterpart_reporter):
    client.force_login(counterpart_reporter)
    response = client.get(reverse("cases:mine"))
    assert response.status_code == 200
    assert nb("You have not reported any deviations yet.") in response.content.decode()
    filtered = client.get(reverse("cases:mine"), {"status": "closed"})
    assert filtered.status_code == 200
    assert nb("None of the deviations you have reported match the filter.") in filtered.content.decode()


def test_a_handler_with_an_empty_list_is_not_told_about_own_cases(client, world, hospital_handler):
    client.force_login(hospital_handler)
    body = client.get(reverse("cases:all")).content.decode()
    assert nb("No deviations match.") in body
    assert nb("You see the deviations you have reported yourself, and you have not reported any yet.") not in body


def test_a_reporters_access_log_lists_their_own_reads_only(client, filed, reporter, hospital_handler):
    client.force_login(hospital_handler)
    assert client.get(reverse("cases:detail", args=[filed["colleagues"].reference])).status_code == 200
    client.force_login(reporter)
    assert client.get(reverse("cases:detail", args=[filed["own"].reference])).status_code == 200
    assert {entry.user for entry in access_log_visible_to(reporter)} == {reporter}
    page = client.get(reverse("cases:my_access_log")).content.decode()
    assert filed["own"].reference in page
    assert filed["colleagues"].reference not in page


# Internal notes ----------------------------------------------------------------------------

NOTES = {
    "hospital_handler": "Intern: melderens avdeling har hatt dette før.",
    "handler": "Intern: kommunen ser på adresselisten.",
    "coordinator": "Intern: kontaktpunktet følger med.",
}
SHARED = "Delt: vi har mottatt saken."


@pytest.fixture
def noted(filed, hospital_handler, handler, coordinator):
    """The reporter's case with an internal note from each side and the contact point, and one shared message."""
    people = {"hospital_handler": hospital_handler, "handler": handler, "coordinator": coordinator}
    for author, text in NOTES.items():
        services.comment_add(deviation=filed["own"], by=people[author], body=text, internal=True)
    services.comment_add(deviation=filed["own"], by=handler, body=SHARED)
    return filed["own"]


def test_no_internal_note_reaches_the_reporter(noted, reporter):
    assert [comment.body for comment in visible_comments(reporter, noted)] == [SHARED]


def test_internal_notes_reach_the_writers_side_and_the_contact_point(
    noted, hospital_handler, handler, org_admin, coordinator
):
    def read(user):
        return {comment.body for comment in visible_comments(user, noted)}

    assert read(hospital_handler) == {SHARED, NOTES["hospital_handler"]}
    assert read(handler) == read(org_admin) == {SHARED, NOTES["handler"]}
    assert read(coordinator) == {SHARED, *NOTES.values()}


def test_a_reporter_reads_their_own_internal_note(noted, reporter, hospital_handler):
    services.comment_add(deviation=noted, by=reporter, body="Min egen merknad.", internal=True)
    assert "Min egen merknad." in {comment.body for comment in visible_comments(reporter, noted)}
    # Written for the reporting organisation: its handlers read it too.
    assert "Min egen merknad." in {comment.body for comment in visible_comments(hospital_handler, noted)}


def test_the_case_page_shows_the_reporter_no_internal_note(client, noted, reporter, hospital_handler):
    """Nowhere on the page: not in the thread, not on the timeline (the case's transitions)."""
    client.force_login(reporter)
    page = client.get(reverse("cases:detail", args=[noted.reference])).content.decode()
    assert SHARED in page
    for text in NOTES.values():
        assert text not in page
    assert f"<strong>{nb('Internal note')}</strong>" not in page
    # The same page for the reporting organisation's handler: its own side's note, marked internal.
    client.force_login(hospital_handler)
    page = client.get(reverse("cases:detail", args=[noted.reference])).content.decode()
    assert NOTES["hospital_handler"] in page and f"<strong>{nb('Internal note')}</strong>" in page
    assert NOTES["handler"] not in page


def test_an_internal_note_notifies_nobody_and_no_e_mail_carries_a_message(noted, reporter, handler):
    about_notes = Notification.objects.filter(deviation=noted, kind=NotificationKind.COMMENT)
    # One row, for the shared message; the notes wrote none.
    assert [row.recipient for row in about_notes] == [reporter]
    message = build_message(about_notes.get())
    bodies = [message.body, *(content for content, _type in message.alternatives)]
    for body in bodies:
        assert SHARED not in body
        for text in NOTES.values():
            assert text not in body


def test_the_reporters_daily_summary_carries_no_message(noted, reporter):
    reporter.notification_delivery = Delivery.DAILY
    reporter.save(update_fields=["notification_delivery"])
    # Read again, so that the case's reporter is the one who now wants a daily summary.
    case = Deviation.objects.get(pk=noted.pk)
    services.comment_add(deviation=case, by=User.objects.get(email="handler@kommune.test"), body="Nytt spørsmål?")
    assert Notification.objects.filter(recipient=reporter, status=NotificationStatus.HELD).exists()
    assert daily_digests_write() == 1
    summary = Notification.objects.get(recipient=reporter, kind=NotificationKind.DAILY_DIGEST)
    assert {item["deviation"] for item in digest_items(summary)} == {noted}
    message = build_message(summary, items=digest_items(summary))
    for body in (message.body, *(content for content, _type in message.alternatives)):
        assert "Nytt spørsmål?" not in body
        for text in NOTES.values():
            assert text not in body


def test_an_export_carries_no_message(client, noted, reporter, coordinator):
    for person in (reporter, coordinator):
        client.force_login(person)
        content = client.get(reverse("cases:all"), {"format": "csv"}).getvalue().decode("utf-8-sig")
        assert noted.reference in content
        for text in [SHARED, *NOTES.values()]:
            assert text not in content


# E-mails follow the rule too -------------------------------------------------------------


def test_the_filer_is_sent_what_concerns_their_case(filed, reporter, mailoutbox):
    forwarded = Notification.objects.get(recipient=reporter, kind=NotificationKind.REPORTER_FORWARDED)
    assert send_notification(forwarded.pk)
    assert [message.to for message in mail.outbox] == [[reporter.email]]


def test_a_reporter_who_left_is_sent_nothing_more_about_the_case(world, filed, reporter, mailoutbox):
    forwarded = Notification.objects.get(recipient=reporter, kind=NotificationKind.REPORTER_FORWARDED)
    Membership.objects.filter(user=reporter).delete()
    grant(reporter, Role.REPORTER, organisation=world.municipality)
    assert not send_notification(forwarded.pk)
    assert not mail.outbox
    assert Notification.objects.get(pk=forwarded.pk).status == NotificationStatus.FAILED
