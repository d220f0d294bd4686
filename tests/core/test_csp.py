"""The Content-Security-Policy allows our own assets only, and no template needs more: no inline script, no
event-handler attribute, no style element or attribute (static/js/wijkwerken.js and our stylesheet do that).
The browser journeys and the crawl fail on anything Chromium refuses under the policy (tests/e2e/conftest.py)."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
# Templates rendered by WeasyPrint (PDFs) and plain-text e-mails never reach a browser.
NOT_FOR_BROWSERS = ("/pdf/", "/email/")
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx code attribute": re.compile(r"hx-on|hx-vals\s*=\s*['\"]\s*js:", re.I),
}


def _policy(response) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in
            (piece.strip() for piece in response["Content-Security-Policy"].split(";")) if part}


@pytest.mark.parametrize("url", ["/account/aanmelden/", "/registreren/", "/gebruikers/"])
def test_pages_carry_a_policy_of_our_own_assets_only(client, bemiddelaar, url):
    client.force_login(bemiddelaar)
    policy = _policy(client.get(url, follow=True))
    assert policy["default-src"] == policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:" and policy["font-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in " ".join(policy.values())


def test_no_template_needs_inline_code_or_styles():
    templates = [path for path in ROOT.glob("**/templates/**/*.html")
                 if ".venv" not in path.parts and "node_modules" not in path.parts
                 and not any(part in path.as_posix() for part in NOT_FOR_BROWSERS)]
    assert len(templates) > 100
    problems = [f"{path.relative_to(ROOT)}: {name}" for path in templates for name, pattern in FORBIDDEN.items()
                if pattern.search(path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)
