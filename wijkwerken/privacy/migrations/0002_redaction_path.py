"""The one narrow path through the append-only triggers that anonymisation needs (wijkwerken/privacy/services.py).

The audit log, the coaching case file's revisions and addenda and the lines of a confirmed payout still refuse every
DELETE, and every UPDATE but one: inside a transaction that set `wijkwerken.redacting` to 'on', an UPDATE that
changes nothing but the table's personal columns, each to '' or '[geanonimiseerd]' (an audit entry's `changes` keep
their keys, every value '[geanonimiseerd]'). Amounts, dates, ids, actions and times can never change that way.
PostgreSQL only: the embedded SQLite demo keeps its triggers as they are (its audit log is not redacted).
"""

from django.db import migrations

REDACTED = "[geanonimiseerd]"

FORWARD = f"""
CREATE OR REPLACE FUNCTION wijkwerken_is_redaction(old_row jsonb, new_row jsonb, personal text[]) RETURNS boolean AS $$
    SELECT coalesce(current_setting('wijkwerken.redacting', true), '') = 'on'
       AND (new_row - personal) = (old_row - personal)
       AND NOT EXISTS (SELECT 1 FROM unnest(personal) AS c
                       WHERE new_row -> c IS DISTINCT FROM old_row -> c
                         AND coalesce(new_row ->> c, '') NOT IN ('', '{REDACTED}'));
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND wijkwerken_is_redaction(to_jsonb(OLD) - 'changes', to_jsonb(NEW) - 'changes',
                                   ARRAY['summary', 'object_repr'])
       AND (NEW.changes = OLD.changes OR NEW.changes = CASE
            WHEN jsonb_typeof(OLD.changes) = 'object' THEN
                (SELECT coalesce(jsonb_object_agg(key, to_jsonb('{REDACTED}'::text)), '{{}}'::jsonb)
                 FROM jsonb_each(OLD.changes))
            ELSE to_jsonb('{REDACTED}'::text) END) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION coaching_case_file_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND wijkwerken_is_redaction(to_jsonb(OLD), to_jsonb(NEW),
                                                    ARRAY['text', 'contact_person_said', 'worker_said']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The coaching case file is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION cheques_payout_row_is_final() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'cheques_payoutline'
       AND wijkwerken_is_redaction(to_jsonb(OLD), to_jsonb(NEW), ARRAY['name', 'iban']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% % belongs to a confirmed payout batch: it cannot be changed or deleted', TG_TABLE_NAME, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION coaching_case_file_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The coaching case file is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION cheques_payout_row_is_final() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% % belongs to a confirmed payout batch: it cannot be changed or deleted', TG_TABLE_NAME, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

DROP FUNCTION IF EXISTS wijkwerken_is_redaction(jsonb, jsonb, text[]);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("core", "0012_alter_ruleset_retention_years"),
        ("coaching", "0002_case_file_append_only"),
        ("cheques", "0009_payouts_keep_history"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
