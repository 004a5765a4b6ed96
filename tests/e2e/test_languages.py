"""In nynorsk, no page of the journey shows an English source string of our catalogue, and every page
says lang="nn".

The phrases come from locale/nn/LC_MESSAGES/django.po: every msgid of at least two words whose
nynorsk text differs from it (split at placeholders, so "Answered by %(who)s" looks for "Answered by").
"""

import re
from functools import cache
from pathlib import Path

import polib
import pytest
from playwright.sync_api import expect

from avvik.cases.choices import Status
from avvik.council.models import CouncilReport
from avvik.council.services import report_build
from tests.builders import drive, file_case
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "nn" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _words(text: str) -> str:
    return " ".join(text.split())


@cache
def english_phrases() -> dict[str, str]:
    """Each English phrase to look for, and the msgid it comes from."""
    phrases = {}
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        for msgid, translated in _forms(entry):
            if not translated or translated == msgid:
                continue
            for fragment in PLACEHOLDER.split(msgid):
                fragment = _words(fragment).strip(" ,.:;()–-")
                if len(fragment.split()) >= 2:
                    phrases[fragment] = msgid
    return phrases


def _forms(entry):
    if entry.msgid_plural:
        yield entry.msgid, entry.msgstr_plural.get(0, "")
        yield entry.msgid_plural, entry.msgstr_plural.get(1, "")
    else:
        yield entry.msgid, entry.msgstr


# What a person meets on the page: its text (with every panel opened and every hidden part shown),
# the page title, and the names and hints that assistive technology reads out.
PAGE_TEXT = """() => {
    document.querySelectorAll("details").forEach((d) => { d.open = true; });
    document.querySelectorAll("main [hidden]").forEach((e) => { e.hidden = false; });
    const attributes = [...document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")].map(
        (e) => ["aria-label", "title", "placeholder", "alt"].map((a) => e.getAttribute(a) || "").join(" | "));
    return [document.title, document.body.innerText, ...attributes].join("\\n");
}"""


class EnglishCheck:
    """Collects English phrases of the catalogue found on each page."""

    def __init__(self, page):
        self.page = page
        self.findings: list[str] = []

    def __call__(self, name: str) -> None:
        text = _words(self.page.evaluate(PAGE_TEXT))
        for phrase, msgid in english_phrases().items():
            if phrase in text:
                self.findings.append(f"{name}: English {phrase!r} (msgid {msgid!r})")


class LangCheck:
    """Collects the pages whose <html lang> is not "nn"."""

    def __init__(self, page):
        self.page = page
        self.findings: list[str] = []

    def __call__(self, name: str) -> None:
        lang = self.page.get_attribute("html", "lang")
        if lang != "nn":
            self.findings.append(f'{name}: <html lang="{lang}">')


def choose_nynorsk(page) -> None:
    """The language switch in the page footer."""
    page.select_option("#language-select", "nn")
    page.locator("footer button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nn")


def test_the_catalogue_has_english_phrases_to_look_for():
    phrases = english_phrases()
    assert len(phrases) > 100
    assert "Report a deviation" in phrases


def test_the_check_sees_english_when_it_is_there(page, reporter):
    reporter.language = "en"
    reporter.save(update_fields=["language"])
    login(page, reporter.email)
    check = EnglishCheck(page)
    check("my deviations in English")
    assert any("'Report a deviation'" in finding for finding in check.findings), check.findings


def walk_in_nynorsk(page, check, world, reporter, coordinator, handler, council_member) -> None:
    """Every page of the journey, each person switching to nynorsk in the footer; `check` reads each page."""
    answered = drive(
        file_case(reporter, world.municipality, attachment=True, patient=True),
        Status.ANSWERED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    forwarded = drive(
        file_case(reporter, world.municipality, title="Henvisning uten vedlegg"),
        Status.FORWARDED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    submitted = file_case(
        reporter, world.municipality, title="Feil mottaker", consequence="very_serious", unexpected=True
    )

    page.goto("/accounts/login/")
    choose_nynorsk(page)
    check("login")
    page.goto("/tilgjengelighet/")
    check("accessibility statement")

    login(page, reporter.email)
    choose_nynorsk(page)
    check("my deviations")
    page.goto("/avvik/ny/")
    check("filing form")
    page.locator("form.deviation-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check("filing form with errors")
    page.goto(f"/avvik/{answered.reference}/")
    check("case page, reporter")
    page.goto("/innstillinger/")
    check("preferences")

    login(page, coordinator.email)
    choose_nynorsk(page)
    check("triage list")
    page.goto(f"/avvik/{submitted.reference}/")
    check("case page, coordinator, submitted")
    page.goto(f"/avvik/{answered.reference}/")
    check("case page, coordinator, answered")
    page.goto("/avvik/alle/")
    check("all deviations, filters open")
    page.goto("/frister/")
    check("deadlines")
    page.goto("/statistikk/")
    check("statistics, coordinator")

    login(page, handler.email)
    choose_nynorsk(page)
    check("handling list")
    page.goto(f"/avvik/{forwarded.reference}/")
    check("case page, handler")

    login(page, council_member.email)
    choose_nynorsk(page)
    check("statistics, council")
    page.locator("section[aria-labelledby=reports-heading] form button[type=submit]").click()
    expect(page.locator("progress")).to_be_visible()
    check("report page, in progress")
    report_build(report_id=CouncilReport.objects.get(partnership=world.partnership).pk)
    page.reload()
    expect(page.locator("a[href$='/last-ned/']")).to_be_visible()
    check("report page, done")


def test_no_english_on_any_page_in_nynorsk(page, world, reporter, coordinator, handler, council_member):
    check = EnglishCheck(page)
    walk_in_nynorsk(page, check, world, reporter, coordinator, handler, council_member)
    assert not check.findings, "\n".join(check.findings)


def test_every_page_says_it_is_nynorsk(page, world, reporter, coordinator, handler, council_member):
    check = LangCheck(page)
    walk_in_nynorsk(page, check, world, reporter, coordinator, handler, council_member)
    assert not check.findings, "\n".join(check.findings)
