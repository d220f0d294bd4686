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
