"""The demo world (`manage.py seed_demo`) for tests that use it: seeded for real the first time in a worker, then
copied back from the rows that seeding left (PostgreSQL `COPY`), in a second instead of a minute.

The tests that use it share the xdist group "demo", so one worker seeds once for all of them. Tests of the seeding
itself (that it runs twice, that it writes its sample statements) still call `manage.py seed_demo` for the run
they test. Files the demo made (PDFs) stay in the worker's MEDIA_ROOT, where the rows copied back point.
"""

import io
from contextlib import nullcontext

from django.core.management import call_command
from django.test import TestCase

from tests.rows import copy_back, copy_out

_SEEDED: dict[bool, dict[str, bytes]] = {}


def seed_demo(*, run_on_commit: bool = False) -> None:
    """The demo, as `manage.py seed_demo` makes it in this test's database.

    In a test's transaction nothing commits, so the work the seeding leaves for after a commit (rendering PDFs,
    settling confirmed hours) does not happen; with `run_on_commit` it runs at the end, as pytest-django's
    `django_capture_on_commit_callbacks(execute=True)` runs it. The two are different worlds, each seeded once."""
    rows = _SEEDED.get(run_on_commit)
    if rows is not None:
        copy_back(rows)
        return
    with TestCase.captureOnCommitCallbacks(execute=True) if run_on_commit else nullcontext():
        call_command("seed_demo", stdout=io.StringIO())
    _SEEDED[run_on_commit] = copy_out()
