"""The interface is Dutch: every message in every Dutch catalogue is translated, the compiled file is there, and
one message has one Dutch translation whichever catalogue holds it (Django merges the catalogues, so a second
translation silently loses or wins depending on the order of the apps)."""

import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/nl/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def _entries(text):
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fields, current = {}, None
        for line in lines:
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        yield block, fields


def test_there_is_a_dutch_catalogue():
    assert ROOT / "locale/nl/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated(catalogue):
    untranslated = []
    for block, fields in _entries(catalogue.read_text(encoding="utf-8")):
        if not fields.get("msgid"):
            continue  # the header
        translations = [v for k, v in fields.items() if k.startswith("msgstr")]
        if "#, fuzzy" in block or not all(translations):
            untranslated.append(fields["msgid"])
    assert untranslated == []
    assert catalogue.with_suffix(".mo").exists()



def test_a_message_has_the_same_translation_in_every_catalogue():
    """The README glossary is the reference for the word; a message that means two things gets a context
    (`pgettext`, `{% translate "..." context "..." %}`)."""
    translations = defaultdict(dict)
    for catalogue in CATALOGUES:
        for _block, fields in _entries(catalogue.read_text(encoding="utf-8")):
            if not fields.get("msgid"):
                continue
            key = (fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))
            dutch = tuple(value for name, value in sorted(fields.items()) if name.startswith("msgstr"))
            translations[key][str(catalogue.relative_to(ROOT))] = dutch
    collisions = [
        f"{context + ' | ' if context else ''}{msgid!r}: "
        + "; ".join(f"{path}: {' / '.join(dutch)!r}" for path, dutch in sorted(by_catalogue.items()))
        for (context, msgid, _plural), by_catalogue in sorted(translations.items(), key=lambda item: str(item[0]))
        if len(set(by_catalogue.values())) > 1
    ]
    assert collisions == [], "\n".join(collisions)
