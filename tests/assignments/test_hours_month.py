"""The monthly hours the database keeps (HoursMonth per organiser and municipality, WorkerMonth per worker) always
equal the prestaties they summarise: written, cancelled, edited, moved to another month, deleted, or their
assignment moved to another municipality; on PostgreSQL through the triggers of migrations 0010_hours_month and
0017_worker_month, and on SQLite (the embedded default) through their own triggers, run here on an in-memory SQLite
database."""

import datetime
import importlib
import sqlite3
from datetime import time, timedelta

import pytest
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from assignments.models import COUNTED_STATUSES, HoursMonth, Prestatie, PrestatieStatus, WorkerMonth
from assignments.selectors import hours_per_month
from tests.assignments.fixtures import make_assignment, make_worker
from wijkwerken.core.rules import cheques_for_minutes

pytestmark = pytest.mark.django_db

migration = importlib.import_module("assignments.migrations.0010_hours_month")
worker_migration = importlib.import_module("assignments.migrations.0017_worker_month")


def reference() -> dict:
    """The monthly totals computed from the prestaties themselves."""
    rows = (Prestatie.objects.filter(status__in=COUNTED_STATUSES).annotate(month=TruncMonth("date"))
            .values("organiser_id", "assignment__municipality_id", "month")
            .annotate(minutes=Sum("minutes"), n=Count("pk")))
    return {(r["organiser_id"], r["assignment__municipality_id"], r["month"]): (r["minutes"], r["n"]) for r in rows}


def kept() -> dict:
    """What the database keeps, without the months that came back to zero."""
    return {(h.organiser_id, h.municipality_id, h.month): (h.minutes, h.prestaties)
            for h in HoursMonth.objects.all() if h.prestaties}


def worker_reference() -> dict:
    rows = (Prestatie.objects.filter(status__in=COUNTED_STATUSES).annotate(month=TruncMonth("date"))
            .values("worker_id", "month").annotate(minutes=Sum("minutes")))
    return {(r["worker_id"], r["month"]): r["minutes"] for r in rows}


def worker_kept() -> dict:
    return {(w.worker_id, w.month): w.minutes for w in WorkerMonth.objects.all() if w.minutes}


def hours(assignment, day, minutes=60, status=PrestatieStatus.REGISTERED):
    end = (datetime.datetime.combine(day, time(9)) + timedelta(minutes=minutes)).time()
    return Prestatie.objects.create(
        organiser=assignment.organiser, assignment=assignment, worker=assignment.worker, client=assignment.client,
        date=day, start_time=time(9), end_time=end, minutes=minutes, cheques=cheques_for_minutes(minutes),
        status=status)


@pytest.fixture
def assignments(organiser, leuven, herent, bemiddelaar):
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=datetime.date(2026, 1, 5))
    start, end = datetime.date(2026, 1, 5), datetime.date(2026, 6, 30)
    return (make_assignment(organiser, leuven, bemiddelaar, worker, start=start, end=end),
            make_assignment(organiser, herent, bemiddelaar, worker, start=start, end=end))


def test_every_change_to_the_prestaties_keeps_the_monthly_hours_equal_to_them(assignments, herent):
    in_leuven, in_herent = assignments
    first = hours(in_leuven, datetime.date(2026, 3, 2), 90)
    second = hours(in_leuven, datetime.date(2026, 3, 3), 60)
    third = hours(in_herent, datetime.date(2026, 3, 4), 120, status=PrestatieStatus.VALIDATED)
    hours(in_leuven, datetime.date(2026, 4, 1), 30, status=PrestatieStatus.CANCELLED)
    assert kept() == reference() and len(kept()) == 2
    assert HoursMonth.objects.get(municipality=in_leuven.municipality, month=datetime.date(2026, 3, 1)).minutes == 150
    # One worker on both assignments: their month holds both municipalities' hours.
    assert worker_kept() == worker_reference() == {(in_leuven.worker_id, datetime.date(2026, 3, 1)): 270}

    Prestatie.objects.filter(pk=third.pk).update(status=PrestatieStatus.CONFIRMED)  # still counted: nothing moves
    Prestatie.objects.filter(pk=first.pk).update(minutes=45, end_time=time(9, 45))
    Prestatie.objects.filter(pk=second.pk).update(date=datetime.date(2026, 4, 30))
    assert kept() == reference() and worker_kept() == worker_reference()
    Prestatie.objects.filter(pk=first.pk).update(status=PrestatieStatus.CANCELLED)
    assert kept() == reference() and worker_kept() == worker_reference()
    Prestatie.objects.filter(pk=second.pk).delete()
    assert kept() == reference() and worker_kept() == worker_reference()

    in_leuven.municipality = herent  # an assignment moved: its hours move along
    in_leuven.save(update_fields=["municipality"])
    hours(in_leuven, datetime.date(2026, 5, 4), 60)
    assert kept() == reference()
    assert worker_kept() == worker_reference()
    assert set(kept()) == {(in_herent.organiser_id, herent.pk, datetime.date(2026, 3, 1)),
                           (in_herent.organiser_id, herent.pk, datetime.date(2026, 5, 1))}


def test_the_charts_of_staff_and_municipality_read_the_kept_months(assignments, beheerder, gemeente_user, leuven):
    in_leuven, in_herent = assignments
    hours(in_leuven, datetime.date(2026, 2, 2), 90)
    hours(in_herent, datetime.date(2026, 2, 3), 60)
    hours(in_leuven, datetime.date(2025, 12, 1), 600)  # another year
    staff = hours_per_month(beheerder, year=2026)
    municipal = hours_per_month(gemeente_user, year=2026)
    assert staff[1] == 2.5 and sum(staff) == 2.5
    assert municipal[1] == 1.5 and sum(municipal) == 1.5
    assert hours_per_month(beheerder, year=2026, worker=in_leuven.worker)[1] == 2.5


def test_the_sqlite_triggers_keep_the_same_totals():
    db = sqlite3.connect(":memory:")
    db.executescript("""
        CREATE TABLE assignments_assignment (id INTEGER PRIMARY KEY, municipality_id INTEGER NOT NULL);
        CREATE TABLE assignments_prestatie (id INTEGER PRIMARY KEY, organiser_id INTEGER, assignment_id INTEGER,
                                            date TEXT, minutes INTEGER, status TEXT);
        CREATE TABLE assignments_hoursmonth (id INTEGER PRIMARY KEY, organiser_id INTEGER, municipality_id INTEGER,
                                             month TEXT, minutes INTEGER, prestaties INTEGER,
                                             UNIQUE (organiser_id, municipality_id, month));
        INSERT INTO assignments_assignment VALUES (1, 10), (2, 20);
        INSERT INTO assignments_prestatie VALUES (1, 7, 1, '2026-03-02', 90, 'bevestigd');
    """)
    fill = migration.FILL_SQL["sqlite"].strip().split(";\n")
    for statement in fill:
        db.execute(statement.strip().rstrip(";"))
    for statement in migration.SQLITE_TRIGGERS:
        db.execute(statement)

    def totals():
        return sorted(db.execute("SELECT organiser_id, municipality_id, month, minutes, prestaties "
                                 "FROM assignments_hoursmonth WHERE prestaties > 0"))

    def expected():
        return sorted(db.execute(
            "SELECT p.organiser_id, a.municipality_id, strftime('%Y-%m-01', p.date), SUM(p.minutes), COUNT(*) "
            "FROM assignments_prestatie p JOIN assignments_assignment a ON a.id = p.assignment_id "
            "WHERE p.status IN ('geregistreerd', 'gevalideerd', 'bevestigd', 'betwist') GROUP BY 1, 2, 3"))

    assert totals() == expected() == [(7, 10, "2026-03-01", 90, 1)]
    db.executescript("""
        INSERT INTO assignments_prestatie VALUES (2, 7, 1, '2026-03-03', 60, 'geregistreerd');
        INSERT INTO assignments_prestatie VALUES (3, 7, 2, '2026-03-04', 120, 'gevalideerd');
        INSERT INTO assignments_prestatie VALUES (4, 7, 1, '2026-04-01', 30, 'geannuleerd');
    """)
    assert totals() == expected()
    for statement in ("UPDATE assignments_prestatie SET status = 'bevestigd' WHERE id = 3",
                      "UPDATE assignments_prestatie SET minutes = 45 WHERE id = 1",
                      "UPDATE assignments_prestatie SET date = '2026-04-30' WHERE id = 2",
                      "UPDATE assignments_prestatie SET status = 'geannuleerd' WHERE id = 1",
                      "UPDATE assignments_prestatie SET status = 'geregistreerd' WHERE id = 4",
                      "DELETE FROM assignments_prestatie WHERE id = 2",
                      "UPDATE assignments_assignment SET municipality_id = 20 WHERE id = 1",
                      "INSERT INTO assignments_prestatie VALUES (5, 7, 1, '2026-05-04', 60, 'geregistreerd')"):
        db.execute(statement)
        assert totals() == expected(), statement
    assert {row[1] for row in totals()} == {20}


def test_the_sqlite_triggers_keep_the_same_worker_months():
    db = sqlite3.connect(":memory:")
    db.executescript("""
        CREATE TABLE assignments_prestatie (id INTEGER PRIMARY KEY, worker_id INTEGER, date TEXT, minutes INTEGER,
                                            status TEXT);
        CREATE TABLE assignments_workermonth (id INTEGER PRIMARY KEY, worker_id INTEGER, month TEXT,
                                              minutes INTEGER, UNIQUE (worker_id, month));
        INSERT INTO assignments_prestatie VALUES (1, 7, '2026-03-02', 90, 'bevestigd');
    """)
    db.execute(worker_migration.FILL["sqlite"])
    for statement in worker_migration.SQLITE:
        db.execute(statement)

    def totals():
        return sorted(db.execute("SELECT worker_id, month, minutes FROM assignments_workermonth WHERE minutes > 0"))

    def expected():
        return sorted(db.execute(
            "SELECT worker_id, strftime('%Y-%m-01', date), SUM(minutes) FROM assignments_prestatie "
            "WHERE status IN ('geregistreerd', 'gevalideerd', 'bevestigd', 'betwist') GROUP BY 1, 2"))

    assert totals() == expected() == [(7, "2026-03-01", 90)]
    db.executescript("""
        INSERT INTO assignments_prestatie VALUES (2, 7, '2026-03-03', 60, 'geregistreerd');
        INSERT INTO assignments_prestatie VALUES (3, 8, '2026-03-04', 120, 'gevalideerd');
        INSERT INTO assignments_prestatie VALUES (4, 7, '2026-04-01', 30, 'geannuleerd');
    """)
    assert totals() == expected()
    for statement in ("UPDATE assignments_prestatie SET status = 'bevestigd' WHERE id = 3",
                      "UPDATE assignments_prestatie SET minutes = 45 WHERE id = 1",
                      "UPDATE assignments_prestatie SET date = '2026-04-30' WHERE id = 2",
                      "UPDATE assignments_prestatie SET status = 'gevalideerd' WHERE id = 4",
                      "UPDATE assignments_prestatie SET worker_id = 8 WHERE id = 1",
                      "UPDATE assignments_prestatie SET status = 'geannuleerd' WHERE id = 3",
                      "DELETE FROM assignments_prestatie WHERE id = 2"):
        db.execute(statement)
        assert totals() == expected(), statement
    assert totals() == [(7, "2026-04-01", 30), (8, "2026-03-01", 45)]
