"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Outside CI a machine without Chromium skips these tests; under CI (CI=true) they fail instead.
On a failure the page is saved as test-results/<test name>.png.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import DESKTOP

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = "Chromium is not installed: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop on this thread; the test's own database
    # calls (fixtures, assertions) are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """Nothing is queued: notifications stay in the outbox, and a test builds reports itself."""
    from avvik.core import queue

    monkeypatch.setattr(queue, "dispatch", lambda *args: True)


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="nb-NO", timezone_id="Europe/Oslo", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None and not page.is_closed():
            RESULTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.\[\]-]+", "_", item.name)
            try:
                page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
            except Exception as exc:  # the browser may be the thing that failed
                report.sections.append(("screenshot", f"no screenshot: {exc}"))
    return report
