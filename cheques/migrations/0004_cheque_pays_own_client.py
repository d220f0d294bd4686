from django.db import migrations

# A cheque pays only hours done for its own client: the client's wallet is never used for another client's
# prestatie, whatever code path sets the redemption. PostgreSQL only, like the other cheque triggers.
TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION cheques_cheque_pays_own_client() RETURNS trigger AS $$
DECLARE
    prestatie_client bigint;
BEGIN
    SELECT client_id INTO prestatie_client FROM assignments_prestatie WHERE id = NEW.prestatie_id;
    IF prestatie_client IS DISTINCT FROM NEW.client_id THEN
        RAISE EXCEPTION 'cheque % of client % cannot pay prestatie % of client %',
            NEW.serial, NEW.client_id, NEW.prestatie_id, prestatie_client
            USING ERRCODE = 'check_violation', CONSTRAINT = 'cheque_pays_own_client';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cheque_pays_own_client BEFORE INSERT OR UPDATE OF prestatie_id, client_id ON cheques_cheque
    FOR EACH ROW WHEN (NEW.prestatie_id IS NOT NULL) EXECUTE FUNCTION cheques_cheque_pays_own_client();
"""
DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS cheque_pays_own_client ON cheques_cheque;
DROP FUNCTION IF EXISTS cheques_cheque_pays_own_client();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("cheques", "0003_refunds"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
