"""Hours per organiser, municipality and month (HoursMonth), kept by the database: a trigger on the prestaties and
one on the assignments (a move to another municipality), for PostgreSQL and for SQLite (the embedded default), and
the table filled from the prestaties there are. The counted statuses are those of COUNTED_STATUSES, written out
here as a migration must not change with the code."""

import django.db.models.deletion
from django.db import migrations, models


COUNTED = "('geregistreerd', 'gevalideerd', 'bevestigd', 'betwist')"

FILL_SQL = {
    "postgresql": f"""
DELETE FROM assignments_hoursmonth;
INSERT INTO assignments_hoursmonth (organiser_id, municipality_id, month, minutes, prestaties)
SELECT p.organiser_id, a.municipality_id, date_trunc('month', p.date)::date, SUM(p.minutes), COUNT(*)
FROM assignments_prestatie p JOIN assignments_assignment a ON a.id = p.assignment_id
WHERE p.status IN {COUNTED} GROUP BY 1, 2, 3;
""",
    "sqlite": f"""
DELETE FROM assignments_hoursmonth;
INSERT INTO assignments_hoursmonth (organiser_id, municipality_id, month, minutes, prestaties)
SELECT p.organiser_id, a.municipality_id, strftime('%Y-%m-01', p.date), SUM(p.minutes), COUNT(*)
FROM assignments_prestatie p JOIN assignments_assignment a ON a.id = p.assignment_id
WHERE p.status IN {COUNTED} GROUP BY 1, 2, 3;
""",
}

# PostgreSQL: one function per table. An update that changes nothing counted (validated -> confirmed, a note)
# touches no summary row, so confirming hours never waits for another transaction's lock on a month.
POSTGRESQL_TRIGGERS = f"""
CREATE OR REPLACE FUNCTION prestatie_hours_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.status IN {COUNTED}) = (NEW.status IN {COUNTED}) AND OLD.minutes = NEW.minutes
     AND OLD.date = NEW.date AND OLD.assignment_id = NEW.assignment_id AND OLD.organiser_id = NEW.organiser_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.status IN {COUNTED} THEN
    UPDATE assignments_hoursmonth h SET minutes = h.minutes - OLD.minutes, prestaties = h.prestaties - 1
    FROM assignments_assignment a
    WHERE a.id = OLD.assignment_id AND h.organiser_id = OLD.organiser_id AND h.municipality_id = a.municipality_id
      AND h.month = date_trunc('month', OLD.date)::date;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status IN {COUNTED} THEN
    INSERT INTO assignments_hoursmonth AS h (organiser_id, municipality_id, month, minutes, prestaties)
    SELECT NEW.organiser_id, a.municipality_id, date_trunc('month', NEW.date)::date, NEW.minutes, 1
    FROM assignments_assignment a WHERE a.id = NEW.assignment_id
    ON CONFLICT (organiser_id, municipality_id, month)
    DO UPDATE SET minutes = h.minutes + EXCLUDED.minutes, prestaties = h.prestaties + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER prestatie_hours_month AFTER INSERT OR DELETE OR UPDATE ON assignments_prestatie
FOR EACH ROW EXECUTE FUNCTION prestatie_hours_month();

CREATE OR REPLACE FUNCTION assignment_hours_month_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.municipality_id IS DISTINCT FROM OLD.municipality_id THEN
    UPDATE assignments_hoursmonth h SET minutes = h.minutes - s.minutes, prestaties = h.prestaties - s.n
    FROM (SELECT organiser_id, date_trunc('month', date)::date AS month, SUM(minutes) AS minutes, COUNT(*) AS n
          FROM assignments_prestatie WHERE assignment_id = NEW.id AND status IN {COUNTED} GROUP BY 1, 2) s
    WHERE h.organiser_id = s.organiser_id AND h.municipality_id = OLD.municipality_id AND h.month = s.month;
    INSERT INTO assignments_hoursmonth AS h (organiser_id, municipality_id, month, minutes, prestaties)
    SELECT organiser_id, NEW.municipality_id, date_trunc('month', date)::date, SUM(minutes), COUNT(*)
    FROM assignments_prestatie WHERE assignment_id = NEW.id AND status IN {COUNTED} GROUP BY 1, 2, 3
    ON CONFLICT (organiser_id, municipality_id, month)
    DO UPDATE SET minutes = h.minutes + EXCLUDED.minutes, prestaties = h.prestaties + EXCLUDED.prestaties;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER assignment_hours_month_move AFTER UPDATE OF municipality_id ON assignments_assignment
FOR EACH ROW EXECUTE FUNCTION assignment_hours_month_move();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS prestatie_hours_month ON assignments_prestatie;
DROP FUNCTION IF EXISTS prestatie_hours_month();
DROP TRIGGER IF EXISTS assignment_hours_month_move ON assignments_assignment;
DROP FUNCTION IF EXISTS assignment_hours_month_move();
"""

# SQLite: a trigger per kind of statement; the `WHERE true`-style conditions keep an INSERT … SELECT … ON CONFLICT
# unambiguous to SQLite's parser.
_SQLITE_ADD = f"""
  INSERT INTO assignments_hoursmonth (organiser_id, municipality_id, month, minutes, prestaties)
  SELECT NEW.organiser_id, a.municipality_id, strftime('%Y-%m-01', NEW.date), NEW.minutes, 1
  FROM assignments_assignment a WHERE a.id = NEW.assignment_id AND NEW.status IN {COUNTED}
  ON CONFLICT (organiser_id, municipality_id, month)
  DO UPDATE SET minutes = minutes + excluded.minutes, prestaties = prestaties + 1;"""
_SQLITE_SUBTRACT = f"""
  UPDATE assignments_hoursmonth SET minutes = minutes - OLD.minutes, prestaties = prestaties - 1
  WHERE OLD.status IN {COUNTED} AND organiser_id = OLD.organiser_id AND month = strftime('%Y-%m-01', OLD.date)
    AND municipality_id = (SELECT municipality_id FROM assignments_assignment WHERE id = OLD.assignment_id);"""
_SQLITE_MONTHS = f"""SELECT organiser_id, strftime('%Y-%m-01', date) AS month, SUM(minutes) AS minutes,
    COUNT(*) AS n FROM assignments_prestatie WHERE assignment_id = NEW.id AND status IN {COUNTED}
    GROUP BY organiser_id, strftime('%Y-%m-01', date)"""
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER prestatie_hours_month_insert AFTER INSERT ON assignments_prestatie BEGIN {_SQLITE_ADD} END",
    f"CREATE TRIGGER prestatie_hours_month_delete AFTER DELETE ON assignments_prestatie BEGIN {_SQLITE_SUBTRACT} END",
    f"""CREATE TRIGGER prestatie_hours_month_update
  AFTER UPDATE OF status, minutes, date, assignment_id, organiser_id ON assignments_prestatie
  BEGIN {_SQLITE_SUBTRACT} {_SQLITE_ADD} END""",
    f"""CREATE TRIGGER assignment_hours_month_move AFTER UPDATE OF municipality_id ON assignments_assignment
  WHEN NEW.municipality_id IS NOT OLD.municipality_id
  BEGIN
  UPDATE assignments_hoursmonth SET
    minutes = minutes - (SELECT s.minutes FROM ({_SQLITE_MONTHS}) s
                         WHERE s.organiser_id = assignments_hoursmonth.organiser_id
                           AND s.month = assignments_hoursmonth.month),
    prestaties = prestaties - (SELECT s.n FROM ({_SQLITE_MONTHS}) s
                               WHERE s.organiser_id = assignments_hoursmonth.organiser_id
                                 AND s.month = assignments_hoursmonth.month)
  WHERE municipality_id = OLD.municipality_id AND EXISTS (
    SELECT 1 FROM ({_SQLITE_MONTHS}) s
    WHERE s.organiser_id = assignments_hoursmonth.organiser_id AND s.month = assignments_hoursmonth.month);
  INSERT INTO assignments_hoursmonth (organiser_id, municipality_id, month, minutes, prestaties)
  SELECT s.organiser_id, NEW.municipality_id, s.month, s.minutes, s.n FROM ({_SQLITE_MONTHS}) s WHERE true
  ON CONFLICT (organiser_id, municipality_id, month)
  DO UPDATE SET minutes = minutes + excluded.minutes, prestaties = prestaties + excluded.prestaties;
  END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS prestatie_hours_month_insert", "DROP TRIGGER IF EXISTS prestatie_hours_month_delete",
               "DROP TRIGGER IF EXISTS prestatie_hours_month_update", "DROP TRIGGER IF EXISTS assignment_hours_month_move"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_TRIGGERS, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement, params=None)
    if vendor in FILL_SQL:
        with schema_editor.connection.cursor() as cursor:
            for statement in FILL_SQL[vendor].strip().split(";\n"):
                if statement.strip():
                    cursor.execute(statement.strip().rstrip(";"))


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)



class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0009_list_indexes'),
        ('core', '0013_notification_about'),
    ]

    operations = [
        migrations.CreateModel(
            name='HoursMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('minutes', models.BigIntegerField(default=0)),
                ('prestaties', models.IntegerField(default=0)),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.municipality')),
                ('organiser', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.organiser')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('organiser', 'municipality', 'month'), name='hours_month_unique'), models.CheckConstraint(condition=models.Q(('minutes__gte', 0), ('prestaties__gte', 0)), name='hours_month_not_negative'), models.CheckConstraint(condition=models.Q(('month__day', 1)), name='hours_month_first_day')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
