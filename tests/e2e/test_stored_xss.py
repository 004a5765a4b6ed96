"""Stored XSS, checked in a real browser: payloads in every text field and file name never run.

Every field a person can write (case texts, notes, answers, comments, file names, names of
people, organisations, units, categories and clauses, council summaries, closure days, volumes)
and texts stored beside them (delivery errors, access-log details) get a payload.
Then each persona opens every page that shows them, and the browser also opens the e-mails
and the HTML the council's PDF is made from (without our CSP, as a mail program would). On
each page: no dialog opened, nothing set `window.__xss`, the Content Security Policy had
nothing to block, no element carries an event handler or a javascript: link, and every
planted text is there, as text.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from avvik.cases.choices import AccessKind, MessageType
from avvik.cases.models.deviation import Deviation
from avvik.cases.services.comments import comment_add
from avvik.cases.services.filing import PatientData, deviation_submit
from avvik.cases.services.reading import access_log_write
from avvik.cases.services.thread import attachment_add
from avvik.cases.services.transitions import deviation_transition
from avvik.catalogue.models import AgreementClause, Category
from avvik.council.counting import statistics_for
from avvik.council.models import Volume
from avvik.council.pdf import render_report_html
from avvik.council.periods import Period
from avvik.council.selectors import council_summaries
from avvik.council.services import council_summary_set
from avvik.deadlines.models import ClosureDay
from avvik.outbox.choices import NotificationStatus
from avvik.outbox.delivery import send_notification
from avvik.outbox.models import Notification
from avvik.tenancy.models import Unit
from tests.builders import case_data, file_case
from tests.e2e.helpers import login
from tests.payloads import FILE_NAMES, PAYLOADS

pytestmark = pytest.mark.e2e

# Every payload in one text, for the long fields.
ALL = "\n".join(PAYLOADS)

# Recorded before any page script runs: what the CSP blocked, and whether a payload ran.
WATCH = """
window.__blocked = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__blocked.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sample);
});
"""

# Elements that came out of a payload: event handlers, javascript: URLs, frames and scripts.
INJECTED = """
() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${element.tagName} ${name}="${attribute.value}"`);
      if (["href", "src", "action", "formaction", "xlink:href", "data"].includes(name)
          && /^\\s*javascript:/i.test(attribute.value)) found.push(`${element.tagName} ${name}="${attribute.value}"`);
      if (name === "srcdoc") found.push(`${element.tagName} srcdoc`);
    }
    if (element.tagName === "SCRIPT" && element.textContent.includes("__xss")) {
      found.push("SCRIPT " + element.textContent);
    }
  }
  return found;
}
"""


@dataclass
class Hostile:
    """The planted world: an answered case with everything written on it, a new one, and the rest."""

    answered: object
    new: object
    texts: dict[str, str]  # what was planted, by a short name for the field


def _payload(n: int) -> str:
    return PAYLOADS[n % len(PAYLOADS)]


@pytest.fixture
def hostile(world, reporter, handler, hospital_handler, coordinator, council_member) -> Hostile:
    texts: dict[str, str] = {}

    def plant(field: str, n: int, suffix: str = "") -> str:
        texts[field] = _payload(n) + suffix
        return texts[field]

    # Names come first, so that every page showing a case shows them too.
    world.partnership.name = plant("partnership", 0, " HF-samarbeid")
    world.partnership.save(update_fields=["name"])
    for n, organisation in enumerate((world.hospital, world.municipality)):
        organisation.name = plant(f"organisation {n}", n + 1, f" org{n}")
        organisation.save(update_fields=["name"])
    for n, unit in enumerate(Unit.objects.filter(organisation__partnership=world.partnership).order_by("pk")):
        unit.name = plant(f"unit {n}", n + 3, f" enhet{n}")
        unit.save(update_fields=["name"])
    category = Category.objects.filter(partnership=world.partnership, concerns_message=True).first()
    category.name = plant("category", 4, " kat")
    category.save(update_fields=["name"])
    clause = AgreementClause.objects.filter(partnership=world.partnership).first()
    clause.title = plant("clause", 5, " punkt")
    clause.save(update_fields=["title"])
    for n, person in enumerate((reporter, handler, hospital_handler, coordinator, council_member)):
        person.full_name = plant(f"person {n}", n + 6, f" p{n}")
        person.save(update_fields=["full_name"])

    case = deviation_submit(
        by=reporter,
        organisation=world.hospital,
        data=case_data(
            world.municipality,
            category=category,
            clause=clause,
            reporting_unit=Unit.objects.get(organisation=world.hospital),
            counterpart_unit=Unit.objects.get(organisation=world.municipality),
            title=plant("title", 1, " tittel"),
            description=plant("description", 0, "\n" + ALL),
            immediate_action=plant("immediate action", 2, "\n" + ALL),
            suggested_measure=plant("suggested measure", 3, "\n" + ALL),
            message_type=MessageType.DISCHARGE_SUMMARY,
            message_id=plant("message id", 8, " id"),
        ),
        patient=PatientData(plant("patient", 4, " pasient"), ""),
    )
    for n, name in enumerate(FILE_NAMES):
        texts[f"file {n}"] = name
        attachment_add(
            deviation=case, by=reporter, upload=SimpleUploadedFile(name, b"tekst", content_type="text/plain")
        )
    case = deviation_transition(
        action="forward",
        deviation=case,
        by=coordinator,
        to=world.municipality,
        note=plant("forward note", 5, " videre"),
    )
    case = deviation_transition(action="accept", deviation=case, by=handler, note=plant("accept note", 6, " mottatt"))
    case = deviation_transition(action="wait", deviation=case, by=handler, note=plant("question", 7, " spm"))
    case = deviation_transition(action="resume", deviation=case, by=handler, note=plant("resume note", 8, " videre"))
    comment_add(deviation=case, by=handler, body=plant("comment", 0, " delt\n" + ALL))
    comment_add(deviation=case, by=handler, body=plant("note municipality", 1, " internt k"), internal=True)
    comment_add(deviation=case, by=hospital_handler, body=plant("note hospital", 2, " internt s"), internal=True)
    case = deviation_transition(
        action="answer",
        deviation=case,
        by=handler,
        cause=plant("cause", 3, " årsak\n" + ALL),
        measures=plant("measures", 4, " tiltak\n" + ALL),
        measures_done=False,
        note=plant("answer note", 5, " svar"),
    )
    council_summary_set(by=coordinator, deviation=case, text=plant("council summary", 6, " fagråd"))

    new = file_case(reporter, world.municipality, title=plant("new title", 7, " ny"), description=ALL)

    # Texts that reach pages another way: a delivery error, an access-log detail, a closure
    # day and a volume.
    Notification.objects.create(
        key="xss",
        kind="comment",
        recipient=handler,
        deviation=case,
        status=NotificationStatus.FAILED,
        reason=plant("notification reason", 0, " hvorfor"),
        last_error=plant("delivery error", 1, " feil"),
    )
    access_log_write(
        user=handler, kind=AccessKind.ATTACHMENT, deviation=case, detail=plant("access detail", 2, " logg")
    )
    ClosureDay.objects.create(
        partnership=world.partnership, date=date(timezone.localdate().year + 1, 7, 1), name=plant("closure day", 3)
    )
    Volume.objects.create(organisation=world.hospital, year=2026, quarter=1, kind=plant("volume", 0), amount=40)
    return Hostile(answered=case, new=new, texts=texts)


# Pages ---------------------------------------------------------------------------------------
#
# Each persona's pages, and the planted texts each page must show. A page may show more.

CASE = ["title", "description", "immediate action", "suggested measure", "message id", "category", "clause"]
PARTIES = ["partnership", "organisation 0", "organisation 1", "unit 0", "unit 1"]
THREAD = [
    "file 0",
    "file 1",
    "question",
    "comment",
    "cause",
    "measures",
    "forward note",
    "accept note",
    "resume note",
    "answer note",
    "person 1",
    "person 3",
]
ROW = ["title", "organisation 0", "organisation 1", "category"]

PAGES = {
    "reporter": [
        ("cases:mine", None, [*ROW, "new title"]),
        ("cases:all", None, [*ROW, "new title"]),
        # Not the hospital handlers' internal note: internal notes never reach a reporter.
        ("cases:detail", "answered", [*CASE, *PARTIES, *THREAD]),
        ("cases:detail", "new", ["new title"]),
        ("cases:edit", "new", ["new title"]),
        ("cases:new", None, ["organisation 1", "category", "clause", "unit 0"]),
        ("pages:organisations", None, PARTIES),
        ("preferences", None, ["person 0"]),
        ("cases:my_access_log", None, ["person 0"]),
    ],
    "handler": [
        # "Til behandling" lists open work only; the answered case is read from all of the organisation's.
        ("cases:all", None, ROW),
        ("cases:detail", "answered", [*CASE, *PARTIES, *THREAD, "note municipality"]),
        ("cases:patient", "answered", ["patient"]),
    ],
    "hospital_handler": [
        ("cases:all", None, ROW),
        ("cases:detail", "answered", [*CASE, *PARTIES, *THREAD, "note hospital"]),
    ],
    "coordinator": [
        ("cases:triage", None, ["new title"]),
        ("cases:all", None, [*ROW, "new title"]),
        (
            "cases:detail",
            "answered",
            [*CASE, *PARTIES, *THREAD, "note hospital", "note municipality", "council summary", "notification reason"],
        ),
        ("cases:edit", "answered", ["title", "description", "immediate action", "suggested measure"]),
        ("cases:access_log", "answered", ["access detail", "person 1", "organisation 1"]),
        ("cases:patient", "answered", ["patient"]),
        ("outbox:failed_notifications", None, ["delivery error"]),
        (
            "council:statistics",
            None,
            ["partnership", "category", "clause", "organisation 0", "organisation 1"],
        ),
        ("deadlines:deadlines", None, ["closure day", "category", "partnership"]),
        ("council:volumes", None, ["volume", "organisation 0", "partnership"]),
    ],
    # Two cases are below every threshold, so the council's page names no category, clause or
    # organisation; the coordinator's page above shows those names through the same templates.
    "council_member": [
        ("council:statistics", None, ["partnership"]),
    ],
    "admin": [
        ("admin:cases_deviation_changelist", None, ["title", "new title"]),
        ("admin:cases_deviation_change", "answered", ["title", "description"]),
        ("admin:tenancy_organisation_changelist", None, ["organisation 0", "organisation 1"]),
        ("admin:tenancy_user_changelist", None, ["person 0", "person 1"]),
        ("admin:catalogue_category_changelist", None, ["category"]),
    ],
}

# What the page holds as text: its text nodes, and what its form fields hold.
TEXT = """
() => [document.body.textContent,
       ...Array.from(document.querySelectorAll("input, textarea"), (field) => field.value)].join("\\n")
"""


def _url(name: str, which: str | None, hostile: Hostile) -> str:
    if which is None:
        return reverse(name)
    case = getattr(hostile, which)
    return reverse(name, args=[case.pk if name.startswith("admin:") else case.reference])


def _problems(page, expected: list[str], hostile: Hostile) -> list[str]:
    problems = []
    if page.evaluate("window.__xss") is not None:
        problems.append("window.__xss was set")
    problems += [f"blocked by the CSP: {entry}" for entry in page.evaluate("window.__blocked || []")]
    problems += [f"injected: {element}" for element in page.evaluate(INJECTED)]
    text = page.evaluate(TEXT)
    for field in expected:
        # A long field holds every payload after its own; each must be there as written.
        for part in hostile.texts[field].split("\n"):
            if part not in text:
                problems.append(f"not shown as text: {field}: {part!r}")
    return problems


@pytest.mark.parametrize("persona", sorted(PAGES))
def test_stored_payloads_never_run_and_show_as_text(page, request, hostile, persona, django_user_model):
    if persona == "admin":
        user = django_user_model.objects.create_superuser(email="root@example.no", password="x" * 20, full_name="Root")
        password = "x" * 20
    else:
        user, password = request.getfixturevalue(persona), None
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH)
    login(page, user.email, *([password] if password else []))

    if persona == "council_member":
        # The council reads completed quarters only: the cases move into the last one.
        quarter = Period.last_completed_quarter(timezone.localdate())
        Deviation.objects.filter(partnership=hostile.answered.partnership).update(
            created_at=timezone.make_aware(datetime.combine(quarter.start, time(12)))
        )
    problems = []
    for name, which, expected in PAGES[persona]:
        url = _url(name, which, hostile)
        response = page.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        page.wait_for_load_state("load")
        # Hovering and focusing would fire handlers that an attribute breakout planted.
        page.keyboard.press("Tab")
        problems += [f"{persona} {url}: {problem}" for problem in _problems(page, expected, hostile)]
    problems += [f"{persona}: a dialog opened: {message}" for message in dialogs]
    assert not problems, "\n".join(problems)


def test_emails_and_the_report_html_run_nothing_in_a_browser(page, hostile, world, mailoutbox):
    for notification in Notification.objects.exclude(status=NotificationStatus.FAILED):
        send_notification(notification.pk)
    assert len(mailoutbox) >= 5
    period = Period.containing(timezone.localdate())
    report = render_report_html(
        statistics_for(world.partnership, period),
        summaries=council_summaries(world.partnership, period),
        generated_at=timezone.now(),
        language="nb",
    )
    documents = [(f"e-mail {message.subject!r}", message.alternatives[0][0]) for message in mailoutbox]
    documents.append(("report", report))

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH)
    problems, titles_seen = [], 0
    for label, html in documents:
        page.set_content(html, wait_until="load")
        problems += [f"{label}: {problem}" for problem in _problems(page, [], hostile)]
        titles_seen += hostile.texts["title"] in page.evaluate(TEXT)
    problems += [f"a dialog opened: {message}" for message in dialogs]
    assert not problems, "\n".join(problems)
    assert titles_seen, "no e-mail showed the case title"
    page.set_content(report)
    assert hostile.texts["council summary"] in page.evaluate(TEXT)
