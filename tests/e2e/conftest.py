"""Browser journeys: Playwright drives Debian's Chromium (never a downloaded browser).

Every page is opened in a context with the nl-BE locale (date fields show dd/mm/yyyy, as for our users) through
`new_page` or the `page` / `phone_page` fixtures, and journeys check the pages they reach with
`assert_accessible` (axe-core, WCAG 2.1 A and AA; serious and critical violations fail the test), which also
fails on anything the browser refused under the Content-Security-Policy (an inline script or style, an asset
from elsewhere): Chromium reports those on the console, and `new_page` listens.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.accounts.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
LOCALE = "nl-BE"

AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = ("serious", "critical")

# Counts the page's XMLHttpRequests in flight (htmx uses XHR), so a test can wait until the panels a page loads
# with hx-trigger="load" are in, without waiting for the network to be idle for half a second.
PENDING_REQUESTS_SCRIPT = """
(() => {
  let pending = 0;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    pending += 1;
    this.addEventListener("loadend", () => { pending -= 1; }, {once: true});
    return send.apply(this, args);
  };
  Object.defineProperty(window, "__pendingRequests", {get: () => pending});
})();
"""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser, viewport=DESKTOP):
    """A page in a new context of its own (its own cookies), as a Flemish user's browser: the nl-BE locale, and
    a touch screen at phone width. Close it with `page.context.close()`."""
    phone = viewport["width"] <= PHONE["width"]
    context = browser.new_context(viewport=viewport, locale=LOCALE, is_mobile=phone, has_touch=phone)
    context.add_init_script(PENDING_REQUESTS_SCRIPT)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.csp_refusals = []
    # A confirmation before an action that cannot be undone (data-confirm) is answered "OK" as a person who
    # clicked on purpose would; `page.dialogs` keeps the questions so a test can check one was asked. A test that
    # wants to answer "Cancel" sets `page.answer_dialogs = False`.
    page.dialogs = []
    page.answer_dialogs = True
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message),
                                      dialog.accept() if page.answer_dialogs else dialog.dismiss()))
    page.on("console", lambda message: page.csp_refusals.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    return page


def csp_violations(page) -> list[str]:
    """What the browser refused under the Content-Security-Policy since the last call, one line each."""
    refused, page.csp_refusals[:] = list(page.csp_refusals), []
    return refused


@pytest.fixture
def page(browser):
    page = new_page(browser, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser):
    page = new_page(browser, PHONE)
    yield page
    page.context.close()


def login(page, live_server, user, password=PASSWORD):
    page.goto(f"{live_server.url}/account/aanmelden/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state("networkidle")


def wait_for_requests(page):
    """Wait until the page has loaded and no request of its own scripts (htmx panels) is still running."""
    # A function, not an expression: Playwright would eval() an expression in the page, which the
    # Content-Security-Policy refuses.
    page.wait_for_function("() => document.readyState === 'complete' && window.__pendingRequests === 0")


def accessibility_violations(page) -> list[str]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is now, one readable
    line per element: rule, impact, what is wrong, where, and the element's HTML."""
    results = AXE.run(page, options=AXE_OPTIONS).response
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            fix = " ".join((node.get("failureSummary") or "").split())
            html = " ".join(node["html"].split())[:200]
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
                         f"    at {' '.join(map(str, node['target']))}: {html}\n    {fix}")
    return lines


def assert_accessible(page):
    """Fail when axe-core finds a serious or critical WCAG 2.1 A/AA violation on the page as it is now, or when
    the browser refused something under the Content-Security-Policy since the last check."""
    wait_for_requests(page)
    refused = csp_violations(page)
    assert not refused, "Content-Security-Policy violation(s):\n" + "\n".join(refused)
    violations = accessibility_violations(page)
    width = page.viewport_size["width"]
    assert not violations, (f"{len(violations)} accessibility violation(s) on {page.url} at {width} px:\n"
                            + "\n".join(violations))


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
