"""The cheques that entered and left the wallets per organiser and day (ChequeDay), kept by a PostgreSQL trigger on
the cheques, and filled from the cheques there are. A cheque counts on the day it was issued (and, once refunded,
leaves that same day), and leaves on the day it was redeemed (Brussels time) or the day after its last valid day
when it expired. On SQLite there is no trigger: the money overview adds up the cheques there."""

import django.db.models.deletion
from django.db import migrations, models


COLUMNS = ("issued_count, issued_value, refunded_count, refunded_value, redeemed_count, redeemed_value, "
           "expired_count, expired_value")

# One upsert adds a signed contribution to a day; the two parts of a cheque (the day it was issued, the day it
# left) are added only when they change, so redeeming or expiring a cheque touches today's row alone.
TRIGGER_SQL = f"""
CREATE OR REPLACE FUNCTION cheque_day_add(organiser bigint, on_day date, issued integer, issued_value numeric,
                                          refunded integer, refunded_value numeric, redeemed integer,
                                          redeemed_value numeric, expired integer, expired_value numeric)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO cheques_chequeday AS d (organiser_id, day, {COLUMNS})
  VALUES (organiser, on_day, issued, issued_value, refunded, refunded_value, redeemed, redeemed_value, expired,
          expired_value)
  ON CONFLICT (organiser_id, day) DO UPDATE SET
    issued_count = d.issued_count + EXCLUDED.issued_count, issued_value = d.issued_value + EXCLUDED.issued_value,
    refunded_count = d.refunded_count + EXCLUDED.refunded_count,
    refunded_value = d.refunded_value + EXCLUDED.refunded_value,
    redeemed_count = d.redeemed_count + EXCLUDED.redeemed_count,
    redeemed_value = d.redeemed_value + EXCLUDED.redeemed_value,
    expired_count = d.expired_count + EXCLUDED.expired_count, expired_value = d.expired_value + EXCLUDED.expired_value
$$;

CREATE OR REPLACE FUNCTION cheque_day_left_on(c cheques_cheque) RETURNS date LANGUAGE sql STABLE AS $$
  SELECT CASE c.status WHEN 'gebruikt' THEN (c.redeemed_at AT TIME ZONE 'Europe/Brussels')::date
                       WHEN 'vervallen' THEN c.expires_on + 1 END
$$;

CREATE OR REPLACE FUNCTION cheque_day() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_issued boolean := TG_OP <> 'INSERT';
  new_issued boolean := TG_OP <> 'DELETE';
  old_left date;
  new_left date;
BEGIN
  IF TG_OP <> 'INSERT' THEN old_left := cheque_day_left_on(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN new_left := cheque_day_left_on(NEW); END IF;
  IF TG_OP = 'UPDATE' AND OLD.organiser_id = NEW.organiser_id AND OLD.value = NEW.value THEN
    IF OLD.issued_on = NEW.issued_on AND (OLD.status = 'terugbetaald') = (NEW.status = 'terugbetaald') THEN
      old_issued := false;  -- the day it was issued keeps the same contribution
      new_issued := false;
    END IF;
    IF old_left IS NOT DISTINCT FROM new_left AND OLD.status = NEW.status THEN
      old_left := NULL;  -- as has the day it left
      new_left := NULL;
    END IF;
  END IF;
  IF old_issued THEN
    PERFORM cheque_day_add(OLD.organiser_id, OLD.issued_on, -1, -OLD.value,
                           -(OLD.status = 'terugbetaald')::int, -(OLD.status = 'terugbetaald')::int * OLD.value,
                           0, 0, 0, 0);
  END IF;
  IF old_left IS NOT NULL THEN
    PERFORM cheque_day_add(OLD.organiser_id, old_left, 0, 0, 0, 0,
                           -(OLD.status = 'gebruikt')::int, -(OLD.status = 'gebruikt')::int * OLD.value,
                           -(OLD.status = 'vervallen')::int, -(OLD.status = 'vervallen')::int * OLD.value);
  END IF;
  IF new_issued THEN
    PERFORM cheque_day_add(NEW.organiser_id, NEW.issued_on, 1, NEW.value,
                           (NEW.status = 'terugbetaald')::int, (NEW.status = 'terugbetaald')::int * NEW.value,
                           0, 0, 0, 0);
  END IF;
  IF new_left IS NOT NULL THEN
    PERFORM cheque_day_add(NEW.organiser_id, new_left, 0, 0, 0, 0,
                           (NEW.status = 'gebruikt')::int, (NEW.status = 'gebruikt')::int * NEW.value,
                           (NEW.status = 'vervallen')::int, (NEW.status = 'vervallen')::int * NEW.value);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER cheque_day AFTER INSERT OR DELETE OR UPDATE ON cheques_cheque
FOR EACH ROW EXECUTE FUNCTION cheque_day();
"""

FILL_SQL = f"""
INSERT INTO cheques_chequeday (organiser_id, day, {COLUMNS})
SELECT organiser_id, day, SUM(issued), SUM(issued_value), SUM(refunded), SUM(refunded_value), SUM(redeemed),
       SUM(redeemed_value), SUM(expired), SUM(expired_value)
FROM (
  SELECT organiser_id, issued_on AS day, 1 AS issued, value AS issued_value,
         (status = 'terugbetaald')::int AS refunded, (status = 'terugbetaald')::int * value AS refunded_value,
         0 AS redeemed, 0 AS redeemed_value, 0 AS expired, 0 AS expired_value
  FROM cheques_cheque
  UNION ALL
  SELECT organiser_id, cheque_day_left_on(c), 0, 0, 0, 0, (status = 'gebruikt')::int,
         (status = 'gebruikt')::int * value, (status = 'vervallen')::int, (status = 'vervallen')::int * value
  FROM cheques_cheque c WHERE status IN ('gebruikt', 'vervallen')
) parts
GROUP BY organiser_id, day
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS cheque_day ON cheques_cheque;
DROP FUNCTION IF EXISTS cheque_day();
DROP FUNCTION IF EXISTS cheque_day_left_on(cheques_cheque);
DROP FUNCTION IF EXISTS cheque_day_add(bigint, date, integer, numeric, integer, numeric, integer, numeric,
                                       integer, numeric);
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)
        schema_editor.execute(FILL_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)



class Migration(migrations.Migration):

    dependencies = [
        ('cheques', '0012_payment_received_index'),
        ('core', '0013_notification_about'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChequeDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('issued_count', models.IntegerField(default=0)),
                ('issued_value', models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name='issued')),
                ('refunded_count', models.IntegerField(default=0)),
                ('refunded_value', models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name='refunded')),
                ('redeemed_count', models.IntegerField(default=0)),
                ('redeemed_value', models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name='redeemed')),
                ('expired_count', models.IntegerField(default=0)),
                ('expired_value', models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name='expired')),
                ('organiser', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.organiser')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('organiser', 'day'), name='cheque_day_unique')],
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
