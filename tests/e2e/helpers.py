"""Shared steps for the browser tests: logging in, axe-core audits and the phone width check."""

from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
_axe = Axe()


def login(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login form, leaving any earlier session first."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login failed for {email}"


def axe_violations(page) -> list[str]:
    """What axe-core finds against WCAG 2.1 A and AA on the page as it is now."""
    results = _axe.run(page, options=WCAG)
    found = []
    for violation in results.response["violations"]:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} – {targets}")
    return found


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


class Audit:
    """Collects axe-core findings for every page visited, at desktop and phone width."""

    def __init__(self, page):
        self.page = page
        self.findings: list[str] = []
        self.pages: list[str] = []

    def check(self, name: str, *, phone_width: bool = False) -> None:
        """Audit the current page at both widths; with phone_width, also require no sideways scrolling."""
        page = self.page
        self.pages.append(name)
        for label, size in (("1280 px", DESKTOP), ("375 px", PHONE)):
            page.set_viewport_size(size)
            self.findings += [f"{name} at {label}: {finding}" for finding in axe_violations(page)]
            if phone_width and size is PHONE and page_width(page) > PHONE["width"]:
                self.findings.append(f"{name} at {label}: scrolls sideways ({page_width(page)} px wide)")
        page.set_viewport_size(DESKTOP)

    def assert_clean(self) -> None:
        assert not self.findings, "\n".join(self.findings)
