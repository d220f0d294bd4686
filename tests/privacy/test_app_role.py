"""Connected as the application's role (which has no UPDATE on the audit log), anonymisation can still redact an
audit entry, through the one function that can do nothing but redact."""

import io
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from wijkwerken.core.audit import audit_log
from wijkwerken.core.models import AuditEntry
from wijkwerken.privacy.services import REDACTED

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.xdist_group("database_roles")]  # roles are shared by the whole cluster: one worker

PASSWORD = "app-role-test-password"


@pytest.fixture
def app_role(monkeypatch):
    role = f"ww_app_{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("TEST_APP_DATABASE_PASSWORD", PASSWORD)
    call_command("db_grant_app_role", role=role, password_env="TEST_APP_DATABASE_PASSWORD", stdout=io.StringIO())
    yield role
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE IF EXISTS {role}")


def test_the_app_role_redacts_the_audit_log_only_through_the_redaction_function(organiser, bemiddelaar, app_role):
    entry = audit_log(actor=bemiddelaar, obj=organiser, action="x.changed", summary="Adres van Jan Peeters gewijzigd",
                      changes={"street": ["Kerkstraat 1", "Molenstraat 2"]})
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                         dbname=settings["NAME"], user=app_role, password=PASSWORD, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE core_auditentry SET summary = %s WHERE id = %s", [REDACTED, entry.pk])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
        assert conn.execute("SELECT wijkwerken_redact_audit_entries(%s::bigint[])",
                            [[entry.pk]]).fetchone()[0] == 1
    entry.refresh_from_db()
    assert (entry.summary, entry.object_repr, entry.changes) == (REDACTED, REDACTED, {"street": REDACTED})
    assert entry.action == "x.changed" and entry.actor == bemiddelaar and AuditEntry.objects.count() == 1
