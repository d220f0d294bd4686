"""History the database keeps: tables whose rows nobody can DELETE or TRUNCATE (the audit log, cheques, payments,
refund batches, ...).

Two locks, so one mistake does not open the door:

- **triggers**: `KeepHistory("<table>")` in a migration puts the triggers `history_no_delete` (each row) and
  `history_no_truncate` (each statement) on the table; both call `wijkwerken_history_refuse_erase()`, created by
  core's migration 0009. Only a superuser may TRUNCATE (the test runner empties its test database that way);
  the application never connects as one.
- **privileges**: the application connects as a role that owns nothing (`manage.py db_grant_app_role`, run by
  the `migrate` service after the migrations, as the owner). It gets no DELETE and no TRUNCATE on every table
  that carries `history_no_delete`, found in the database itself; not being the owner, it cannot drop or
  disable a trigger either.

Protecting a new table is therefore one line in its app's migration, `KeepHistory("cheques_payoutbatch")`: the
grant command finds it by its trigger.
"""

from django.db.migrations.operations.base import Operation

DELETE_TRIGGER = "history_no_delete"
TRUNCATE_TRIGGER = "history_no_truncate"
REFUSE_FUNCTION = "wijkwerken_history_refuse_erase"

REFUSE_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {REFUSE_FUNCTION}() RETURNS trigger AS $$
BEGIN
    -- A superuser can disable any trigger anyway; letting it TRUNCATE keeps the test runner's flush working.
    IF TG_OP = 'TRUNCATE' AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% on % refused: this history cannot be erased', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""
DROP_REFUSE_FUNCTION_SQL = f"DROP FUNCTION IF EXISTS {REFUSE_FUNCTION}();"


class KeepHistory(Operation):
    """Migration operation: the database refuses DELETE and TRUNCATE on `table` (see the module docstring)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str):
        self.table = table

    def deconstruct(self):
        return self.__class__.__name__, [self.table], {}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = schema_editor.quote_name(self.table)
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"CREATE TRIGGER {DELETE_TRIGGER} BEFORE DELETE ON {table} "
                                  f"FOR EACH ROW EXECUTE FUNCTION {REFUSE_FUNCTION}()", params=None)
            schema_editor.execute(f"CREATE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {table} "
                                  f"FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE_FUNCTION}()", params=None)
        elif vendor == "sqlite":  # the embedded default: no TRUNCATE and no privileges there
            name = schema_editor.quote_name(f"{self.table}_{DELETE_TRIGGER}")
            schema_editor.execute(f"CREATE TRIGGER {name} BEFORE DELETE ON {table} "
                                  f"BEGIN SELECT RAISE(ABORT, 'DELETE on {self.table} refused: this history "
                                  f"cannot be erased'); END", params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = schema_editor.quote_name(self.table)
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {DELETE_TRIGGER} ON {table}", params=None)
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {table}", params=None)
        elif vendor == "sqlite":
            name = schema_editor.quote_name(f"{self.table}_{DELETE_TRIGGER}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)

    def describe(self):
        return f"Refuse DELETE and TRUNCATE on {self.table}"

    @property
    def migration_name_fragment(self):
        return f"keep_history_{self.table}"
