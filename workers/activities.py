"""The main activities (hoofdactiviteiten) of the Vlaamse activiteitenlijst, read from the data file that the
assignments app ships. Workers only need the names, to record skills and interests by main activity; the list
itself (sub-activities, client categories, municipal changes) is owned by `assignments`."""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

ACTIVITY_LIST_FILE = Path(settings.BASE_DIR) / "assignments" / "data" / "activiteitenlijst.json"


@cache
def main_activity_choices() -> tuple[tuple[str, str], ...]:
    """(code, Dutch name) for every main activity; the code is a stable slug of the name."""
    with ACTIVITY_LIST_FILE.open(encoding="utf-8") as handle:
        names = json.load(handle)["hoofdactiviteiten"]
    return tuple((slugify(name), name) for name in names)


def main_activity_name(code: str) -> str:
    return dict(main_activity_choices()).get(code, code)
