"""What a payout preview reads, as one value (`PayoutInputs.token`), made new by the database when a transaction
that changed it commits.

A preview adds up every unpaid prestatie of the run and names every worker in it; a beheerder opens it page by page
and again after fixing a worker. The application keeps a computed preview for as long as its organiser's token
stays the same (`cheques.services.payouts`), so the database must renew the token for every change a preview
could show: a prestatie (hours, their status, settlement and payment), a wijk-werker (the name and IBAN), a payout
item or correction, a rule set.

PostgreSQL: deferred constraint triggers, once per organiser and transaction (a transaction-local setting
remembers it), at commit: the token's row is locked only for the last moment of a transaction, after everything
else it locks, so it adds no lock order to keep. SQLite (the embedded default) gets no triggers: there the preview
is computed every time."""

import django.db.models.deletion
from django.db import migrations, models

from wijkwerken.core.sqlite_triggers import database_triggers

TABLES = {
    "assignments_prestatie": "INSERT OR UPDATE OR DELETE",
    "workers_worker": "UPDATE OF first_name, last_name, iban, organiser_id OR DELETE",
    "cheques_payoutitem": "INSERT OR UPDATE OR DELETE",
    "cheques_payoutcorrection": "INSERT OR UPDATE OR DELETE",
    "core_ruleset": "INSERT OR UPDATE OR DELETE",
}

POSTGRESQL = """
CREATE OR REPLACE FUNCTION payout_inputs_raise(organiser bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF organiser IS NULL OR current_setting('wijkwerken.payout_inputs_' || organiser, true) = 'raised' THEN
    RETURN;
  END IF;
  PERFORM set_config('wijkwerken.payout_inputs_' || organiser, 'raised', true);
  INSERT INTO cheques_payoutinputs (organiser_id, token)
  SELECT id, gen_random_uuid() FROM core_organiser WHERE id = organiser
  ON CONFLICT (organiser_id) DO UPDATE SET token = EXCLUDED.token;
END $$;
CREATE OR REPLACE FUNCTION payout_inputs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM payout_inputs_raise(NEW.organiser_id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM payout_inputs_raise(OLD.organiser_id);
  ELSE
    PERFORM payout_inputs_raise(OLD.organiser_id);
    PERFORM payout_inputs_raise(NEW.organiser_id);
  END IF;
  RETURN NULL;
END $$;
""" + "".join(f"""
CREATE CONSTRAINT TRIGGER payout_inputs_changed AFTER {events} ON {table}
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION payout_inputs_changed();""" for table, events in TABLES.items())

POSTGRESQL_DROP = "".join(f"DROP TRIGGER IF EXISTS payout_inputs_changed ON {table};\n" for table in TABLES) + """
DROP FUNCTION IF EXISTS payout_inputs_changed();
DROP FUNCTION IF EXISTS payout_inputs_raise(bigint);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("cheques", "0018_credit_balance_kept"),
        ("core", "0013_notification_about"),
        ("assignments", "0020_worker_month_busy_idx"),
        ("workers", "0006_availability_worker_no_own_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="PayoutInputs",
            fields=[
                ("organiser", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                   related_name="+", serialize=False, to="core.organiser")),
                ("token", models.UUIDField(editable=False)),
            ],
            options={
                "verbose_name": "payout inputs",
                "verbose_name_plural": "payout inputs",
            },
        ),
        database_triggers(postgresql=POSTGRESQL, postgresql_drop=POSTGRESQL_DROP, sqlite=[], sqlite_drop=[],
                          fill={"postgresql": "INSERT INTO cheques_payoutinputs (organiser_id, token) "
                                              "SELECT id, gen_random_uuid() FROM core_organiser"}),
    ]
