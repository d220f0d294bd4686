"""Hours per worker and month (WorkerMonth), kept by the database: a trigger on the prestaties for PostgreSQL and
triggers for SQLite (the embedded default), and the table filled from the prestaties there are. The counted
statuses are those of COUNTED_STATUSES, written out here as a migration must not change with the code."""

import django.db.models.deletion
from django.db import migrations, models

from wijkwerken.core.sqlite_triggers import database_triggers

COUNTED = "('geregistreerd', 'gevalideerd', 'bevestigd', 'betwist')"

# An update that changes nothing counted (validated -> confirmed, a note) touches no row, so confirming hours never
# waits for a lock on a worker's month.
POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION prestatie_worker_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.status IN {COUNTED}) = (NEW.status IN {COUNTED}) AND OLD.minutes = NEW.minutes
     AND OLD.date = NEW.date AND OLD.worker_id = NEW.worker_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.status IN {COUNTED} THEN
    UPDATE assignments_workermonth SET minutes = minutes - OLD.minutes
    WHERE worker_id = OLD.worker_id AND month = date_trunc('month', OLD.date)::date;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status IN {COUNTED} THEN
    INSERT INTO assignments_workermonth AS w (worker_id, month, minutes)
    VALUES (NEW.worker_id, date_trunc('month', NEW.date)::date, NEW.minutes)
    ON CONFLICT (worker_id, month) DO UPDATE SET minutes = w.minutes + EXCLUDED.minutes;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER prestatie_worker_month AFTER INSERT OR DELETE OR UPDATE ON assignments_prestatie
FOR EACH ROW EXECUTE FUNCTION prestatie_worker_month();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS prestatie_worker_month ON assignments_prestatie;
DROP FUNCTION IF EXISTS prestatie_worker_month();
"""

# SQLite: a trigger per kind of statement; `WHERE true` keeps an INSERT … SELECT … ON CONFLICT unambiguous to
# SQLite's parser.
_SQLITE_ADD = f"""
  INSERT INTO assignments_workermonth (worker_id, month, minutes)
  SELECT NEW.worker_id, strftime('%Y-%m-01', NEW.date), NEW.minutes WHERE NEW.status IN {COUNTED}
  ON CONFLICT (worker_id, month) DO UPDATE SET minutes = minutes + excluded.minutes;"""
_SQLITE_SUBTRACT = f"""
  UPDATE assignments_workermonth SET minutes = minutes - OLD.minutes
  WHERE OLD.status IN {COUNTED} AND worker_id = OLD.worker_id AND month = strftime('%Y-%m-01', OLD.date);"""
SQLITE = [
    f"CREATE TRIGGER prestatie_worker_month_insert AFTER INSERT ON assignments_prestatie BEGIN {_SQLITE_ADD} END",
    f"CREATE TRIGGER prestatie_worker_month_delete AFTER DELETE ON assignments_prestatie BEGIN {_SQLITE_SUBTRACT} END",
    f"""CREATE TRIGGER prestatie_worker_month_update AFTER UPDATE OF status, minutes, date, worker_id
  ON assignments_prestatie BEGIN {_SQLITE_SUBTRACT} {_SQLITE_ADD} END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS prestatie_worker_month_{kind}" for kind in ("insert", "delete", "update")]

FILL = {
    "postgresql": f"""
INSERT INTO assignments_workermonth (worker_id, month, minutes)
SELECT worker_id, date_trunc('month', date)::date, SUM(minutes) FROM assignments_prestatie
WHERE status IN {COUNTED} GROUP BY 1, 2""",
    "sqlite": f"""
INSERT INTO assignments_workermonth (worker_id, month, minutes)
SELECT worker_id, strftime('%Y-%m-01', date), SUM(minutes) FROM assignments_prestatie
WHERE status IN {COUNTED} GROUP BY 1, 2""",
}


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0016_prestatie_worker_date_idx_covers_the_hours'),
        ('workers', '0005_workeractivity_activity_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkerMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('minutes', models.BigIntegerField(default=0)),
                ('worker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workers.worker')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('worker', 'month'), name='worker_month_unique'), models.CheckConstraint(condition=models.Q(('minutes__gte', 0)), name='worker_month_not_negative'), models.CheckConstraint(condition=models.Q(('month__day', 1)), name='worker_month_first_day')],
            },
        ),
        database_triggers(postgresql=POSTGRESQL, postgresql_drop=POSTGRESQL_DROP, sqlite=SQLITE,
                          sqlite_drop=SQLITE_DROP, fill=FILL, unfill="DELETE FROM assignments_workermonth"),
    ]
