"""The application's database role cannot erase history: connected as that role (created here, in the test
database, by the same command the `migrate` service runs), DELETE, TRUNCATE and switching a trigger off are
refused on the audit log, cheques, payments and refund batches; and the triggers hold even for a role that was
given too much."""

import datetime
import io
import uuid
from decimal import Decimal

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from cheques.models import Cheque, Payment, RefundBatch
from cheques.services.bank_import import bank_import_create
from cheques.services.refunds import refund_batch_create
from tests.assignments.factories import ClientFactory
from tests.cheques.factories import VALID_PAYER_IBAN, coda_file, credit, order_for
from wijkwerken.core.audit import audit_log
from wijkwerken.core.management.commands.db_grant_app_role import history_tables
from wijkwerken.core.models import AuditEntry

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.xdist_group("database_roles")]  # roles are shared by the whole cluster: one worker

KEPT = ["core_auditentry", "cheques_cheque", "cheques_payment", "cheques_refundbatch"]
PASSWORD = "app-role-test-password"


@pytest.fixture
def history(organiser, leuven, bemiddelaar):
    """One row in each kept table: a paid order's cheques, its payment, a refund batch, audit entries. (Autocommit:
    the import and the issuing of the cheques run right after each commit.)"""
    def upload(content):
        bank_import_create(organiser=organiser, uploaded_file=SimpleUploadedFile("uittreksel.cod", content),
                           actor=bemiddelaar)

    client = ClientFactory(municipality=leuven, status="actief", agreement_signed_on="2026-01-05")
    order = order_for(client, quantity=2, actor=bemiddelaar)
    upload(coda_file(organiser, [credit(order.total, order.structured_communication, structured=True)]))
    upload(coda_file(organiser, [credit(Decimal("10.00"), client.structured_communication, structured=True,
                                        iban=VALID_PAYER_IBAN, reference="EXTRA1")]))
    refund_batch_create(organiser=organiser, client_ids=[client.pk], actor=bemiddelaar,
                        execution_date=datetime.date.today() + datetime.timedelta(days=3))
    audit_log(actor=bemiddelaar, obj=organiser, action="test.history", summary="kept")
    assert Cheque.objects.exists() and Payment.objects.exists() and RefundBatch.objects.exists()
    assert AuditEntry.objects.exists()


def _role_name(kind: str) -> str:
    return f"ww_{kind}_{uuid.uuid4().hex[:10]}"


def _drop_role(role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.fixture
def app_role(monkeypatch):
    """A role created and granted by `db_grant_app_role`, as in docker-compose; dropped afterwards."""
    role = _role_name("app")
    monkeypatch.setenv("TEST_APP_DATABASE_PASSWORD", PASSWORD)
    call_command("db_grant_app_role", role=role, password_env="TEST_APP_DATABASE_PASSWORD", stdout=io.StringIO())
    yield role
    _drop_role(role)


def connect_as(role: str) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                           dbname=settings["NAME"], user=role, password=PASSWORD, autocommit=True)


def refused(conn, statement: str, error=psycopg.errors.InsufficientPrivilege) -> str:
    with pytest.raises(error) as raised:
        conn.execute(statement)
    return str(raised.value)


def test_every_kept_table_carries_the_triggers(db):
    with connection.cursor() as cursor:
        assert set(KEPT) <= set(history_tables(cursor))


def test_the_app_role_cannot_delete_truncate_or_switch_off_a_trigger(history, app_role):
    with connect_as(app_role) as conn:
        for table in KEPT:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
            assert "permission denied" in refused(conn, f"DELETE FROM {table}")
            refused(conn, f"TRUNCATE {table}")
            refused(conn, f"TRUNCATE {table} CASCADE")
            assert "must be owner" in refused(conn, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            refused(conn, f"ALTER TABLE {table} DISABLE TRIGGER history_no_delete")
            refused(conn, f"DROP TRIGGER history_no_delete ON {table}")
            refused(conn, f"DROP TABLE {table}")
        refused(conn, "SET session_replication_role = replica")
        refused(conn, "UPDATE core_auditentry SET summary = 'rewritten'")
        refused(conn, "DELETE FROM django_migrations")
        refused(conn, "CREATE TABLE sneaky (id int)")
        # What the application does every day still works.
        conn.execute("INSERT INTO core_auditentry (action, summary, object_id, object_repr, changes, created_at) "
                     "VALUES ('test.app_role', 'written by the app role', '', '', '{}', now())")
        conn.execute("UPDATE cheques_cheque SET status = status")
        conn.execute("DELETE FROM django_session")
    assert AuditEntry.objects.filter(action="test.app_role").exists()


def test_the_triggers_hold_for_a_role_given_too_much(history):
    """By trigger as well as by privileges: a role that was granted DELETE and TRUNCATE by mistake is still
    refused; so is the owner (here the test runner's superuser) deleting rows."""
    role = _role_name("careless")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD %s", [PASSWORD])
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
    try:
        with connect_as(role) as conn:
            for table in KEPT:
                message = refused(conn, f"DELETE FROM {table}", (psycopg.errors.IntegrityConstraintViolation,
                                                                 psycopg.errors.RaiseException))
                assert "cannot be erased" in message or "append-only" in message
                assert "cannot be erased" in refused(conn, f"TRUNCATE {table} CASCADE",
                                                     psycopg.errors.IntegrityConstraintViolation)
    finally:
        _drop_role(role)
    for model in (Cheque, Payment):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=model.objects.first().pk).delete()


def test_the_command_refuses_a_role_that_owns_something_or_is_superuser(db, monkeypatch):
    owner = _role_name("owner")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {owner} LOGIN")
        cursor.execute(f"CREATE TABLE {owner}_table (id int)")
        cursor.execute(f"ALTER TABLE {owner}_table OWNER TO {owner}")
    try:
        with pytest.raises(CommandError, match="owns"):
            call_command("db_grant_app_role", role=owner, stdout=io.StringIO())
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {owner}_table")
        _drop_role(owner)
    with pytest.raises(CommandError, match="superuser"):
        call_command("db_grant_app_role", role="postgres", stdout=io.StringIO())
    with pytest.raises(CommandError, match="does not exist"):
        call_command("db_grant_app_role", role=_role_name("missing"), stdout=io.StringIO())
