"""Redacting the audit log as the application's role.

The application's role has no UPDATE on the audit log (`db_grant_app_role`). Anonymisation redacts the entries
about a person through this one function instead: it runs with its owner's rights (SECURITY DEFINER) and can do
nothing but set `summary` and `object_repr` to '[geanonimiseerd]' and every value of `changes` likewise, on the
entries it is given; the trigger `core_auditentry_no_update` checks the same (migration 0002).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION wijkwerken_redact_audit_entries(entry_ids bigint[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    redacted integer;
BEGIN
    PERFORM set_config('wijkwerken.redacting', 'on', true);
    UPDATE core_auditentry
       SET summary = '[geanonimiseerd]', object_repr = '[geanonimiseerd]',
           changes = CASE WHEN jsonb_typeof(changes) = 'object' THEN
                         (SELECT coalesce(jsonb_object_agg(key, to_jsonb('[geanonimiseerd]'::text)), '{}'::jsonb)
                          FROM jsonb_each(changes))
                     ELSE to_jsonb('[geanonimiseerd]'::text) END
     WHERE id = ANY(entry_ids);
    GET DIAGNOSTICS redacted = ROW_COUNT;
    RETURN redacted;
END;
$$;
"""
BACKWARD = "DROP FUNCTION IF EXISTS wijkwerken_redact_audit_entries(bigint[]);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_redaction_path")]

    operations = [migrations.RunPython(forwards, backwards)]
