"""Template rules that axe-core in the browser tests only sees when the data makes them matter: a table's scroll
box is flagged only when the table is wider than the screen. Every scroll box is a named region in the tab order,
so a keyboard user can scroll it (WCAG 2.1.1), whatever the data."""

import re
from pathlib import Path

from django.conf import settings

SCROLL_BOX = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-responsive\b[^\"]*\"[^>]*>")


def _templates():
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates"),
             *Path(settings.BASE_DIR).glob("wijkwerken/*/templates")]
    return sorted(path for root in roots for path in root.rglob("*.html"))


def test_every_table_scroll_box_is_a_named_region_in_the_tab_order():
    boxes, wrong = 0, []
    for path in _templates():
        for tag in SCROLL_BOX.findall(path.read_text()):
            boxes += 1
            if not ('tabindex="0"' in tag and 'role="region"' in tag and re.search(r'aria-label="[^"]+"', tag)):
                wrong.append(f"{path.relative_to(settings.BASE_DIR)}: {tag}")
    assert boxes > 20
    assert wrong == []


def test_every_browser_journey_opens_its_pages_through_new_page():
    """`tests/e2e/conftest.new_page` gives every context the nl-BE locale (dates as dd/mm/yyyy) and the request
    counter `assert_accessible` waits on; a context made by hand would have neither."""
    e2e = Path(settings.BASE_DIR) / "tests" / "e2e"
    by_hand = [f"{path.name}: {line.strip()}" for path in sorted(e2e.glob("test_*.py"))
               for line in path.read_text().splitlines() if re.search(r"\.new_context\(|browser\.new_page\(", line)]
    assert by_hand == []
