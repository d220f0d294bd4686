"""The database keeps each client's credit balance (`CreditBalance`): the sum of their `ClientCredit` rows, changed
by every insert, update or delete of a credit row. On PostgreSQL once per statement (statement-level triggers over
the changed rows, locking the balances in the order of the client ids, so two statements never wait for each other
in a circle); on SQLite (the embedded default) row triggers, rounded to the cent because SQLite adds decimals as
floats. A balance below zero is refused by the table's check constraint. The balances of the credit rows made
before this migration are filled in."""

from django.db import migrations

from wijkwerken.core.sqlite_triggers import database_triggers

POSTGRESQL = """
CREATE OR REPLACE FUNCTION client_credit_to_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT client_id, organiser_id, amount FROM new_credits'
    WHEN 'UPDATE' THEN 'SELECT client_id, organiser_id, amount FROM new_credits '
                       'UNION ALL SELECT client_id, organiser_id, -amount AS amount FROM old_credits'
    ELSE 'SELECT client_id, organiser_id, -amount AS amount FROM old_credits' END;
BEGIN
  -- A balance row for every client concerned (at zero when new: a check constraint is tested on the row an
  -- upsert proposes, before it meets the existing one), locked in the order of the client ids, then changed.
  EXECUTE format('INSERT INTO cheques_creditbalance (client_id, organiser_id, balance) '
                 'SELECT client_id, min(organiser_id), 0 FROM (%s) d GROUP BY client_id ORDER BY client_id '
                 'ON CONFLICT (client_id) DO NOTHING', delta);
  EXECUTE format('SELECT 1 FROM cheques_creditbalance WHERE client_id IN (SELECT client_id FROM (%s) d) '
                 'ORDER BY client_id FOR UPDATE', delta);
  EXECUTE format('UPDATE cheques_creditbalance b SET balance = b.balance + d.amount '
                 'FROM (SELECT client_id, sum(amount) AS amount FROM (%s) changed GROUP BY client_id '
                 'HAVING sum(amount) <> 0) d WHERE b.client_id = d.client_id', delta);
  RETURN NULL;
END $$;
CREATE TRIGGER credit_balance_insert AFTER INSERT ON cheques_clientcredit
REFERENCING NEW TABLE AS new_credits FOR EACH STATEMENT EXECUTE FUNCTION client_credit_to_balance();
CREATE TRIGGER credit_balance_update AFTER UPDATE ON cheques_clientcredit
REFERENCING OLD TABLE AS old_credits NEW TABLE AS new_credits FOR EACH STATEMENT
EXECUTE FUNCTION client_credit_to_balance();
CREATE TRIGGER credit_balance_delete AFTER DELETE ON cheques_clientcredit
REFERENCING OLD TABLE AS old_credits FOR EACH STATEMENT EXECUTE FUNCTION client_credit_to_balance();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS credit_balance_insert ON cheques_clientcredit;
DROP TRIGGER IF EXISTS credit_balance_update ON cheques_clientcredit;
DROP TRIGGER IF EXISTS credit_balance_delete ON cheques_clientcredit;
DROP FUNCTION IF EXISTS client_credit_to_balance();
"""
_SQLITE_ADD = """INSERT OR IGNORE INTO cheques_creditbalance (client_id, organiser_id, balance)
      VALUES ({row}.client_id, {row}.organiser_id, 0);
      UPDATE cheques_creditbalance SET balance = round(balance {sign} {row}.amount, 2)
      WHERE client_id = {row}.client_id;"""
SQLITE = [
    f"""CREATE TRIGGER credit_balance_insert AFTER INSERT ON cheques_clientcredit
    BEGIN {_SQLITE_ADD.format(row="NEW", sign="+")} END""",
    f"""CREATE TRIGGER credit_balance_update AFTER UPDATE OF client_id, amount ON cheques_clientcredit
    BEGIN {_SQLITE_ADD.format(row="OLD", sign="-")} {_SQLITE_ADD.format(row="NEW", sign="+")} END""",
    f"""CREATE TRIGGER credit_balance_delete AFTER DELETE ON cheques_clientcredit
    BEGIN {_SQLITE_ADD.format(row="OLD", sign="-")} END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS credit_balance_insert", "DROP TRIGGER IF EXISTS credit_balance_update",
               "DROP TRIGGER IF EXISTS credit_balance_delete"]
FILL = {
    "postgresql": """INSERT INTO cheques_creditbalance (client_id, organiser_id, balance)
                     SELECT client_id, min(organiser_id), sum(amount) FROM cheques_clientcredit GROUP BY client_id""",
    "sqlite": """INSERT INTO cheques_creditbalance (client_id, organiser_id, balance)
                 SELECT client_id, min(organiser_id), round(sum(amount), 2) FROM cheques_clientcredit
                 GROUP BY client_id""",
}


class Migration(migrations.Migration):

    dependencies = [("cheques", "0017_credit_balance")]

    operations = [database_triggers(postgresql=POSTGRESQL, postgresql_drop=POSTGRESQL_DROP, sqlite=SQLITE,
                                    sqlite_drop=SQLITE_DROP, fill=FILL, unfill="DELETE FROM cheques_creditbalance")]
