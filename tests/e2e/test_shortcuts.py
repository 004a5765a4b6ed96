"""Keyboard shortcuts in the browser: ? shows them, j/k/x/Enter work the list, typing in a field
triggers nothing, and a person who turns them off gets no single-key shortcuts at all (WCAG 2.1.4)."""

import re

import pytest
from playwright.sync_api import expect

from avvik.cases.choices import Status
from avvik.tenancy.models import User
from tests.builders import drive, file_case
from tests.e2e.helpers import axe_violations, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def three_cases(world, reporter, coordinator, handler):
    """Three answered cases: the contact point's list of all deviations, newest first."""
    cases = [
        drive(
            file_case(reporter, world.municipality, title=f"Epikrise nummer {n}"),
            Status.ANSWERED,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
        for n in (1, 2, 3)
    ]
    return cases


def _rows(page):
    return page.locator("main table tbody tr")


def _current_reference(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_question_mark_shows_the_shortcuts_and_escape_closes_them(page, world, coordinator, three_cases):
    login(page, coordinator.email)
    page.goto("/avvik/alle/")

    page.keyboard.press("?")

    dialog = page.locator("dialog#shortcuts-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#shortcuts-dialog-title")).to_be_focused()
    expect(dialog.locator("kbd", has_text="j").first).to_be_visible()
    # The contact point's own queues are listed, with where they lead.
    expect(dialog.locator('[data-shortcut-go="t"]')).to_have_attribute("href", "/avvik/triage/")
    assert not axe_violations(page), axe_violations(page)

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_j_k_x_and_enter_work_the_list(page, world, coordinator, three_cases):
    login(page, coordinator.email)
    page.goto("/avvik/alle/")
    rows = _rows(page)
    expect(rows).to_have_count(3)
    first = rows.nth(0).locator("a").first.inner_text()
    second = rows.nth(1).locator("a").first.inner_text()

    page.keyboard.press("j")
    assert _current_reference(page) == first
    expect(rows.nth(0)).to_have_attribute("aria-current", "true")
    page.keyboard.press("j")
    assert _current_reference(page) == second
    page.keyboard.press("k")
    assert _current_reference(page) == first
    page.keyboard.press("j")

    page.keyboard.press("x")
    expect(page.locator(f"#choose-{second}")).to_be_checked()
    expect(page.locator(f"#choose-{first}")).not_to_be_checked()
    page.keyboard.press("x")
    expect(page.locator(f"#choose-{second}")).not_to_be_checked()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/avvik/{second}/$"))
    assert not axe_violations(page), axe_violations(page)


def test_g_then_t_goes_to_triage(page, world, coordinator, three_cases):
    login(page, coordinator.email)
    page.goto("/avvik/alle/")

    page.keyboard.press("g")
    page.keyboard.press("t")

    expect(page).to_have_url(re.compile("/avvik/triage/$"))


def test_slash_goes_to_the_search_and_typing_there_triggers_nothing(page, world, coordinator, three_cases):
    login(page, coordinator.email)
    page.goto("/avvik/alle/")

    page.keyboard.press("/")
    search = page.locator("#id_q")
    expect(search).to_be_focused()
    page.keyboard.type("jkx?g")

    expect(search).to_have_value("jkx?g")
    expect(page.locator("dialog#shortcuts-dialog")).to_have_count(0)
    expect(page.locator("[data-row-select]:checked")).to_have_count(0)
    expect(page.locator("main table tbody tr[aria-current]")).to_have_count(0)
    expect(page).to_have_url(re.compile("/avvik/alle/$"))


def test_c_goes_to_the_message_field_on_the_case(page, world, coordinator, three_cases):
    login(page, coordinator.email)
    page.goto(f"/avvik/{three_cases[0].reference}/")

    page.keyboard.press("c")

    expect(page.locator("#id_body")).to_be_focused()


def test_a_opens_the_answer_form_for_the_handler(page, world, reporter, coordinator, handler):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    login(page, handler.email)
    page.goto(f"/avvik/{deviation.reference}/")
    expect(page.locator("#id_answer-cause")).to_be_hidden()

    page.keyboard.press("a")

    expect(page.locator("#id_answer-cause")).to_be_focused()


def test_shortcuts_turned_off_in_the_settings_do_nothing(page, world, coordinator, three_cases):
    login(page, coordinator.email)
    page.goto("/innstillinger/")
    checkbox = page.locator("#id_keyboard_shortcuts")
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert User.objects.get(pk=coordinator.pk).keyboard_shortcuts is False
    assert not axe_violations(page), axe_violations(page)

    page.goto("/avvik/alle/")
    expect(page.locator("body")).to_have_attribute("data-shortcuts", "off")
    for key in ("?", "j", "j", "x", "/", "g", "t"):
        page.keyboard.press(key)

    expect(page.locator("dialog#shortcuts-dialog")).to_have_count(0)
    expect(page.locator("[data-row-select]:checked")).to_have_count(0)
    expect(page.locator("main table tbody tr[aria-current]")).to_have_count(0)
    expect(page.locator("#id_q")).not_to_be_focused()
    expect(page).to_have_url(re.compile("/avvik/alle/$"))


def test_the_help_page_is_accessible(page, world, coordinator):
    login(page, coordinator.email)
    page.goto("/hurtigtaster/")

    expect(page.locator("h1")).to_be_visible()
    assert not axe_violations(page), axe_violations(page)
