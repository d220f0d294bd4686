"""Give the application's database role exactly what it needs, and no way to erase history.

Run as the owner of the tables (the role migrations run as), after every `migrate`: docker-compose's `migrate`
service does. The role owns nothing, so it cannot drop, alter or disable a trigger; it reads and writes every
table, but gets no DELETE on the tables that keep history (every table carrying the `history_no_delete`
trigger of `wijkwerken.core.history`, found in the database itself), no UPDATE on the append-only audit log,
no TRUNCATE anywhere and only SELECT on the migration history.

    python manage.py db_grant_app_role --role wijkwerken_app --password-env APP_DATABASE_PASSWORD

With `--password-env`, a missing role is created (a LOGIN role without any other attribute; the connected role
needs CREATEROLE) and an existing one gets that password.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from wijkwerken.core.history import DELETE_TRIGGER

# Append-only: rows are added, never changed (on top of the history triggers).
APPEND_ONLY_TABLES = ("core_auditentry",)
# Read-only for the application.
READ_ONLY_TABLES = ("django_migrations",)


def history_tables(cursor) -> list[str]:
    """The tables of the public schema that carry the history trigger."""
    cursor.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE t.tgname = %s AND n.nspname = 'public' ORDER BY c.relname", [DELETE_TRIGGER])
    return [row[0] for row in cursor.fetchall()]


def owned_objects(cursor, role: str) -> int:
    cursor.execute(
        "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
        " + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)"
        " + (SELECT count(*) FROM pg_database WHERE datdba = r.oid)"
        " + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) FROM pg_roles r WHERE r.rolname = %s", [role])
    return cursor.fetchone()[0]


class Command(BaseCommand):
    help = "Grant the application's database role its privileges: no DELETE or TRUNCATE on kept history."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="the role the application connects as")
        parser.add_argument("--password-env", default="",
                            help="name of the environment variable with the role's password (creates the role "
                                 "when missing)")

    def handle(self, *args, role, password_env, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles and privileges exist on PostgreSQL only.")
        password = os.environ.get(password_env, "") if password_env else ""
        if password_env and not password:
            raise CommandError(f"The environment variable {password_env} is empty.")
        quoted = connection.ops.quote_name(role)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
                           "WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                if not password:
                    raise CommandError(f"Role {role} does not exist; give --password-env to create it.")
                cursor.execute(f"CREATE ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS "
                               "PASSWORD %s", [password])
                self.stdout.write(f"Created role {role}.")
            else:
                if any(found):
                    raise CommandError(f"Role {role} is a superuser or may create roles or databases or bypass "
                                       "row security: the application must connect as a plain role.")
                if password:
                    cursor.execute(f"ALTER ROLE {quoted} PASSWORD %s", [password])
            if owned_objects(cursor, role):
                raise CommandError(f"Role {role} owns tables, schemas, functions or databases: the application "
                                   "must connect as a role that owns nothing (migrations run as the owner).")
            tables = history_tables(cursor)
            cursor.execute("SELECT current_database()")
            database = connection.ops.quote_name(cursor.fetchone()[0])
            statements = [
                f"GRANT CONNECT ON DATABASE {database} TO {quoted}",
                f"REVOKE CREATE ON SCHEMA public FROM {quoted}",
                f"GRANT USAGE ON SCHEMA public TO {quoted}",
                f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
                *(f"REVOKE DELETE, TRUNCATE ON {connection.ops.quote_name(t)} FROM {quoted}" for t in tables),
                *(f"REVOKE UPDATE ON {connection.ops.quote_name(t)} FROM {quoted}" for t in APPEND_ONLY_TABLES),
                *(f"REVOKE INSERT, UPDATE, DELETE ON {connection.ops.quote_name(t)} FROM {quoted}"
                  for t in READ_ONLY_TABLES),
            ]
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Role {role}: reads and writes every table; never DELETE or TRUNCATE on "
                          f"{', '.join(tables)}; the audit log is append-only.")
