"""The interface is Dutch: every message in every Dutch catalogue is translated, and the compiled file is there."""

import re
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
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
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
