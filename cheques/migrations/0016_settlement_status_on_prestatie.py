"""A settlement copies its status onto its prestatie (`Prestatie.settlement_status`), in the database: when it is
made (te betalen or betaald), when it is paid later, and "" again if it were ever deleted. On PostgreSQL one
UPDATE per statement (statement-level triggers over the changed rows: the settlement of thousands of prestaties
with one INSERT marks them with one UPDATE), on SQLite (the embedded default) row triggers.

A payout run pays the prestatie's cheques from this copy without reading the settlement, so the database also
refuses a settlement for another number of cheques than its prestatie's (hours are final once confirmed and
settled: they always were the same). The prestaties settled before this migration are filled from their
settlements."""

from django.db import migrations

from wijkwerken.core.sqlite_triggers import database_triggers

POSTGRESQL = """
CREATE OR REPLACE FUNCTION settlement_status_to_prestatie() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE assignments_prestatie p SET settlement_status = ''
    FROM old_settlements o WHERE p.id = o.prestatie_id;
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM new_settlements n JOIN assignments_prestatie p ON p.id = n.prestatie_id
             WHERE n.cheques <> p.cheques) THEN
    RAISE EXCEPTION 'a settlement pays the cheques of its prestatie'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_cheques_of_prestatie';
  END IF;
  UPDATE assignments_prestatie p SET settlement_status = n.status
  FROM new_settlements n WHERE p.id = n.prestatie_id AND p.settlement_status <> n.status;
  RETURN NULL;
END $$;
CREATE TRIGGER settlement_status_insert AFTER INSERT ON cheques_settlement
REFERENCING NEW TABLE AS new_settlements FOR EACH STATEMENT EXECUTE FUNCTION settlement_status_to_prestatie();
CREATE TRIGGER settlement_status_update AFTER UPDATE ON cheques_settlement
REFERENCING NEW TABLE AS new_settlements FOR EACH STATEMENT EXECUTE FUNCTION settlement_status_to_prestatie();
CREATE TRIGGER settlement_status_delete AFTER DELETE ON cheques_settlement
REFERENCING OLD TABLE AS old_settlements FOR EACH STATEMENT EXECUTE FUNCTION settlement_status_to_prestatie();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS settlement_status_insert ON cheques_settlement;
DROP TRIGGER IF EXISTS settlement_status_update ON cheques_settlement;
DROP TRIGGER IF EXISTS settlement_status_delete ON cheques_settlement;
DROP FUNCTION IF EXISTS settlement_status_to_prestatie();
"""
SQLITE = [
    """CREATE TRIGGER settlement_status_insert AFTER INSERT ON cheques_settlement
    BEGIN
      SELECT RAISE(ABORT, 'a settlement pays the cheques of its prestatie')
      WHERE NEW.cheques <> (SELECT cheques FROM assignments_prestatie WHERE id = NEW.prestatie_id);
      UPDATE assignments_prestatie SET settlement_status = NEW.status WHERE id = NEW.prestatie_id;
    END""",
    """CREATE TRIGGER settlement_status_update AFTER UPDATE ON cheques_settlement
    BEGIN
      SELECT RAISE(ABORT, 'a settlement pays the cheques of its prestatie')
      WHERE NEW.cheques <> (SELECT cheques FROM assignments_prestatie WHERE id = NEW.prestatie_id);
      UPDATE assignments_prestatie SET settlement_status = '' WHERE id = OLD.prestatie_id;
      UPDATE assignments_prestatie SET settlement_status = NEW.status WHERE id = NEW.prestatie_id;
    END""",
    """CREATE TRIGGER settlement_status_delete AFTER DELETE ON cheques_settlement
    BEGIN UPDATE assignments_prestatie SET settlement_status = '' WHERE id = OLD.prestatie_id; END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS settlement_status_insert", "DROP TRIGGER IF EXISTS settlement_status_update",
               "DROP TRIGGER IF EXISTS settlement_status_delete"]
FILL = {
    "postgresql": """UPDATE assignments_prestatie p SET settlement_status = s.status
                     FROM cheques_settlement s WHERE s.prestatie_id = p.id""",
    "sqlite": """UPDATE assignments_prestatie SET settlement_status = (
                   SELECT status FROM cheques_settlement s WHERE s.prestatie_id = assignments_prestatie.id)
                 WHERE id IN (SELECT prestatie_id FROM cheques_settlement)""",
}


class Migration(migrations.Migration):

    dependencies = [
        ("cheques", "0015_payout_batch_counts"),
        ("assignments", "0014_prestatie_settlement_status"),
    ]

    operations = [database_triggers(postgresql=POSTGRESQL, postgresql_drop=POSTGRESQL_DROP, sqlite=SQLITE,
                                    sqlite_drop=SQLITE_DROP, fill=FILL)]
