"""Every page shape and every e-mail kind, read in nynorsk and in English: no bokmål-only word is left
in nynorsk, and no Norwegian is left in English.

What people typed (case texts, notes, names of organisations, units and people) is taken out before
the scan: it stays in the language it was written in. So are a few proper names ("Norsk Helsenett",
the guideline's name) and the names of the languages themselves in the language switch."""

import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import models
from django.test import Client
from django.urls import reverse

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Comment, Transition
from avvik.catalogue.models import AgreementClause, Category
from avvik.council.models import CouncilReport, Volume
from avvik.deadlines.phrases import reason_of
from avvik.outbox.choices import NotificationKind
from avvik.outbox.emails import build_message, digest_items
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Organisation, Partnership, Unit, User
from tests.builders import drive, file_case
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

# Bokmål forms that nynorsk writes otherwise (ikkje, om, korleis, kven, kva, nokon, noko, enno, eg,
# mykje, blei/vart, sjølv, frå, vyrkedag, verksemd, svara, tilvising, førespurnad, hending, lagra, …).
BOKMAL_ONLY = re.compile(
    r"\b(ikke|hvis|hvordan|hvem|hva|hvilke[nt]?|noen|noe|ennå|jeg|mye|ble|selv|fra|virkedag\w*|virksomhet\w*"
    r"|besvart|henvisning\w*|forespørs\w*|hendelse\w*|lagret|slettet|endret|avviket ditt er besvart)\b",
    re.IGNORECASE,
)
# Norwegian in English: the letters æ, ø, å, and words the English pages must translate.
NORWEGIAN = re.compile(
    r"[æøå]|\b(avvik\w*|samhandlingsavvik|kvartal\w*|virkedag\w*|vyrkedag\w*|frist\w*|ikke|ikkje|og|eller"
    r"|melder|meldar|virksomhet\w*|verksemd\w*|kategori|tiltak|svar|kommentar\w*)\b",
    re.IGNORECASE,
)
# Proper names, and each language's own name in the switch, are the same in every language.
PROPER_NAMES = [
    "Norsk Helsenett",
    "Retningslinje 4",
    "Norsk bokmål",
    "Norsk nynorsk",
    "norsk (bokmål)",
    "norsk (nynorsk)",
    # The Norwegian term, named in English help on purpose: the number is called so on every paper.
    "Fødselsnummer",
    "fødselsnummer",
    "Bokmål",
    "bokmål",
    "Nynorsk",
    "Helsetilsynet",
    "HelseID",
    "ID-porten",
]

# Page shapes allowed to show a category's stored (bokmål) name instead of its name in the reader's
# language: none; a template that reads `.name` instead of `.display_name` fails the scan.
CATEGORY_NAME_READ_DIRECTLY: tuple[str, ...] = ()


class _Text(HTMLParser):
    """What a person meets on a page: its text, title, and the names and hints read out."""

    READ_OUT = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1
        self.parts.extend(value for name, value in attrs if name in self.READ_OUT and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def typed_texts() -> list[str]:
    """Every text people typed or named, longest first, so that it can be taken out before the scan."""
    texts: set[str] = set()
    for model in (Deviation, Transition, Comment, Organisation, Unit, Partnership, User, Volume):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                texts.update(str(value) for value in model.objects.values_list(field.attname, flat=True) if value)
    return sorted((text for text in texts if len(text) > 1), key=len, reverse=True)


URL = re.compile(r"\bhttps?://\S+|(?<!\w)/[\w/-]+/")


def bokmal_catalogue_names(language: str) -> list[str]:
    """Category names and clause titles in bokmål whose name in `language` is another."""
    other = {"nn": ("name_nn", "title_nn"), "en": ("name_en", "title_en")}[language]
    names = [name for name, translated in Category.objects.values_list("name", other[0]) if translated != name]
    names += [
        title for title, translated in AgreementClause.objects.values_list("title", other[1]) if translated != title
    ]
    return names


def findings(text: str, language: str, *, allowed: list[str]) -> list[str]:
    text = URL.sub(" ", text)  # addresses are Norwegian words in every language
    for known in [*typed_texts(), *allowed, *PROPER_NAMES]:
        text = text.replace(known, " ")
    found = [f"the bokmål name {name!r}" for name in bokmal_catalogue_names(language) if name in text]
    pattern = BOKMAL_ONLY if language == "nn" else NORWEGIAN
    for match in pattern.finditer(text):
        start = max(match.start() - 40, 0)
        found.append(f"{match.group(0)!r} in …{text[start : match.end() + 40]}…")
    return found


@dataclass
class Scene:
    world: object
    people: dict[str, User]
    cases: dict[str, Deviation]
    report: CouncilReport


@pytest.fixture
def scene(world, reporter, handler, coordinator, council_member, org_admin) -> Scene:
    """A case in every status, volumes and a report, in the fourth quarter of 2026; the cases' category
    and clause are named differently in each language."""
    category = Category.objects.get(partnership=world.partnership, name="Nedetid (planlagt eller uplanlagt)")
    clause = AgreementClause.objects.get(partnership=world.partnership, code="6.2 b)")
    with time_machine.travel("2026-11-02 09:00 +01:00", tick=False):
        cases = {
            status: drive(
                file_case(reporter, world.municipality, title=f"Sak {status}", category=category, clause=clause),
                status,
                coordinator=coordinator,
                handler=handler,
                reporter=reporter,
            )
            for status in Status.values
        }
        Volume.objects.create(organisation=world.municipality, year=2026, quarter=3, kind="utskrivninger", amount=120)
        report = CouncilReport.objects.create(
            partnership=world.partnership,
            period_label="2026 K3",
            period_start=date(2026, 7, 1),
            period_end=date(2026, 9, 30),
        )
    people = {
        "reporter": reporter,
        "handler": handler,
        "coordinator": coordinator,
        "council_member": council_member,
        "org_admin": org_admin,
    }
    return Scene(world, people, cases, report)


def pages(scene: Scene) -> list[tuple[str, str, str, dict]]:
    """(shape, persona, url, query) for every page shape."""
    shapes: list[tuple[str, str, str, dict]] = [
        ("home", "reporter", reverse("pages:home"), {}),
        ("home", "coordinator", reverse("pages:home"), {}),
        ("organisations", "coordinator", reverse("pages:organisations"), {}),
        ("accessibility", "reporter", reverse("pages:accessibility"), {}),
        ("list", "reporter", reverse("cases:mine"), {}),
        ("list", "handler", reverse("cases:handling"), {}),
        ("list", "coordinator", reverse("cases:triage"), {}),
        ("list", "coordinator", reverse("cases:all"), {}),
        ("list", "coordinator", reverse("cases:all"), {"status": "closed", "q": "Sak"}),
        ("filing form", "reporter", reverse("cases:new"), {}),
        ("access log", "reporter", reverse("cases:my_access_log"), {}),
        ("statistics", "coordinator", reverse("council:statistics"), {"period": "2026Q4"}),
        ("statistics", "council_member", reverse("council:statistics"), {"period": "2026Q3"}),
        ("report", "coordinator", reverse("council:report", args=[scene.report.pk]), {}),
        ("volumes", "coordinator", reverse("council:volumes"), {}),
        ("deadlines", "coordinator", reverse("deadlines:deadlines"), {}),
        ("failed notifications", "coordinator", reverse("outbox:failed_notifications"), {}),
        ("preferences", "handler", reverse("preferences"), {}),
        ("queue", "coordinator", reverse("cases:answered"), {}),
        ("queue", "coordinator", reverse("cases:overdue"), {}),
        ("queue", "coordinator", reverse("cases:waiting"), {}),
        ("queue", "handler", reverse("cases:assigned"), {}),
        ("queue", "handler", reverse("cases:unassigned"), {}),
        ("notifications", "handler", reverse("inbox:notices"), {}),
        ("shortcuts", "handler", reverse("pages:shortcuts"), {}),
        ("exports", "coordinator", reverse("exports:list"), {}),
        ("address register", "coordinator", reverse("register:home"), {}),
        ("patient access", "coordinator", reverse("cases:patient_lookup"), {}),
        ("people", "org_admin", reverse("administration:people"), {}),
        ("person", "org_admin", reverse("administration:person", args=[scene.people["handler"].pk]), {}),
        ("invitations", "org_admin", reverse("administration:invitations"), {}),
        ("invite", "org_admin", reverse("administration:invitation_create"), {}),
        ("change log", "org_admin", reverse("administration:audit_log"), {}),
        ("not found", "reporter", "/finnes-ikke/", {}),
        ("forbidden", "reporter", reverse("council:statistics"), {}),
    ]
    for status, case in scene.cases.items():
        for persona in ("coordinator", "handler", "reporter"):
            shapes.append(("detail", persona, reverse("cases:detail", args=[case.reference]), {}))
        del status
    return shapes


def read_as(client: Client, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)


def category_names(scene: Scene) -> list[str]:
    return [case.category.name for case in scene.cases.values()]


@pytest.mark.parametrize("language", ["nn", "en"])
def test_no_page_shape_shows_the_other_written_form(client, scene, language):
    found = []
    with time_machine.travel("2026-11-20 10:00 +01:00", tick=False):
        for shape, persona, url, query in pages(scene):
            read_as(client, scene.people[persona], language)
            response = client.get(url, query)
            assert response.headers.get("Content-Language") == language, f"{shape} as {persona}: {url}"
            allowed = category_names(scene) if shape in CATEGORY_NAME_READ_DIRECTLY else []
            found += [
                f"{shape} ({persona}, {url}): {hit}"
                for hit in findings(visible_text(response.content.decode()), language, allowed=allowed)
            ]
        client.logout()
        client.cookies["django_language"] = language
        for shape, url in (("login", reverse("login")), ("password reset", reverse("password_reset"))):
            response = client.get(url)
            found += [
                f"{shape}: {hit}" for hit in findings(visible_text(response.content.decode()), language, allowed=[])
            ]
        response = client.post(reverse("login"), {"username": "nobody@example.test", "password": "wrong"})
        found += [
            f"login error: {hit}" for hit in findings(visible_text(response.content.decode()), language, allowed=[])
        ]
    assert not found, "\n".join(found)


def test_the_filing_form_with_errors_is_scanned_too(client, scene):
    found = []
    for language in ("nn", "en"):
        read_as(client, scene.people["reporter"], language)
        response = client.post(reverse("cases:new"), {"title": ""})
        assert response.status_code == 200
        found += [
            f"{language}: {hit}" for hit in findings(visible_text(response.content.decode()), language, allowed=[])
        ]
    assert not found, "\n".join(found)


def notifications(scene: Scene, recipient: User) -> list[Notification]:
    """One outbox row of every kind for `recipient`, as the services and the sweep write them."""
    case = scene.cases[Status.IN_PROGRESS]
    rows = []
    for kind in NotificationKind.values:
        row = Notification(
            key=f"{kind}:scan:{recipient.pk}",
            kind=kind,
            recipient=recipient,
            deviation=None if kind in (NotificationKind.REPORT_READY, NotificationKind.WEEKLY_DIGEST) else case,
            organisation=scene.world.municipality,
            report=scene.report if kind == NotificationKind.REPORT_READY else None,
            reason=reason_of(-63 if "escalation" in kind or "overdue" in kind else 2),
        )
        row.save()
        rows.append(row)
    return rows


@pytest.mark.parametrize("language", ["nn", "en"])
def test_no_email_kind_shows_the_other_written_form(scene, language):
    recipient = UserFactory(email="mottakar@kommune.test", language=language)
    grant(recipient, Role.HANDLER, organisation=scene.world.municipality)
    found = []
    with time_machine.travel("2026-11-20 10:00 +01:00", tick=False):
        for notification in notifications(scene, recipient):
            items = digest_items(notification) if "digest" in notification.kind else None
            message = build_message(notification, items=items)
            html = message.alternatives[0][0]
            for part, text in (("subject", message.subject), ("text", message.body), ("html", visible_text(html))):
                found += [f"{notification.kind} {part}: {hit}" for hit in findings(text, language, allowed=[])]
    assert not found, "\n".join(found)


def test_the_scan_finds_bokmal_in_nynorsk_and_norwegian_in_english():
    """The scan itself can fail: a page with the words it looks for is caught."""
    assert findings("Saka er ikke ferdig, og fristen gjekk ut.", "nn", allowed=[])
    assert findings("Overdue by 63 virkedager.", "en", allowed=[])
    assert findings("4. kvartal 2026", "en", allowed=[])
    assert not findings("Saka er ikkje ferdig.", "nn", allowed=[])
    assert not findings("Q4 2026: Message server and Norsk Helsenett", "en", allowed=[])
