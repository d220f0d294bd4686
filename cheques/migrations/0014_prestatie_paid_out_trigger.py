"""A payout item that pays a prestatie (kind "vergoeding") marks it `paid_out`, in the database: on PostgreSQL one
UPDATE per INSERT statement (a statement-level trigger over the inserted rows, so a confirmation that pays
thousands of prestaties with one INSERT ... SELECT marks them with one UPDATE), on SQLite (the embedded default) a
row trigger. The items are final (never updated or deleted, migration 0009), so an insert is the only event. The
prestaties paid before this migration are marked from their items."""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION payoutitem_marks_paid_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE assignments_prestatie p SET paid_out = true
  FROM new_items i
  WHERE i.kind = 'vergoeding' AND p.id = i.prestatie_id AND NOT p.paid_out;
  RETURN NULL;
END $$;
CREATE TRIGGER payoutitem_marks_paid_out AFTER INSERT ON cheques_payoutitem
REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION payoutitem_marks_paid_out();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS payoutitem_marks_paid_out ON cheques_payoutitem;
DROP FUNCTION IF EXISTS payoutitem_marks_paid_out();
"""
SQLITE = """
CREATE TRIGGER payoutitem_marks_paid_out AFTER INSERT ON cheques_payoutitem WHEN NEW.kind = 'vergoeding'
BEGIN UPDATE assignments_prestatie SET paid_out = 1 WHERE id = NEW.prestatie_id; END
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS payoutitem_marks_paid_out"
FILL = """
UPDATE assignments_prestatie SET paid_out = true WHERE id IN (
  SELECT prestatie_id FROM cheques_payoutitem WHERE kind = 'vergoeding')
"""


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE, params=None)
    else:
        return
    schema_editor.execute(FILL, params=None)


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("cheques", "0013_cheque_day"),
        ("assignments", "0013_prestatie_paid_out"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
