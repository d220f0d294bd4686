"""The embedded default (SQLite, `make run`) migrates from nothing, and the triggers the database keeps totals and
history with survive the migrations that rebuild their tables (SQLite rebuilds a table to add a column: see
`wijkwerken/core/sqlite_triggers.py`)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Triggers that a table rebuild would drop silently (their own table) or that would stop it (they name it).
EXPECTED_TRIGGERS = {
    "prestatie_hours_month_insert", "prestatie_hours_month_update", "prestatie_hours_month_delete",
    "prestatie_worker_month_insert", "prestatie_worker_month_update", "prestatie_worker_month_delete",
    "assignment_hours_month_move", "payoutitem_marks_paid_out", "cheques_payoutbatch_history_no_delete",
    "cheques_payoutitem_history_no_delete", "cheques_payoutline_history_no_delete", "core_auditentry_no_update",
    "settlement_status_insert", "settlement_status_update", "settlement_status_delete",
    "credit_balance_insert", "credit_balance_update", "credit_balance_delete",
}


@pytest.mark.xdist_group("sqlite_migrations")
def test_sqlite_migrates_from_nothing_and_keeps_its_triggers(tmp_path):
    database = tmp_path / "embedded.sqlite3"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=f"sqlite:///{database}", MEDIA_ROOT=str(tmp_path / "media"))
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]

    db = sqlite3.connect(database)
    triggers = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert triggers >= EXPECTED_TRIGGERS, EXPECTED_TRIGGERS - triggers
    columns = {row[1] for row in db.execute("PRAGMA table_info(assignments_prestatie)")}
    assert {"paid_out", "settlement_status"} <= columns
    batch_columns = {row[1] for row in db.execute("PRAGMA table_info(cheques_payoutbatch)")}
    assert {"prestaties", "travel_count", "correction_count"} <= batch_columns
