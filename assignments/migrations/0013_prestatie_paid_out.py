"""`Prestatie.paid_out`, kept by a trigger on the payout items (migration cheques 0014), with the partial index a
payout run reads the unpaid confirmed prestaties through.

The hours-month trigger (migration 0010) fired for every UPDATE of a prestatie, so marking thousands of prestaties
paid would call it thousands of times for nothing: on PostgreSQL it now fires only when a column it counts changes
(as its SQLite twin already did)."""

from django.conf import settings
from django.db import migrations, models

from wijkwerken.core.sqlite_triggers import triggers_aside


HOURS_MONTH_COLUMNS = "status, minutes, date, assignment_id, organiser_id"


def _recreate_hours_month_trigger(columns: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        event = f"UPDATE OF {columns}" if columns else "UPDATE"
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS prestatie_hours_month ON assignments_prestatie; "
            f"CREATE TRIGGER prestatie_hours_month AFTER INSERT OR DELETE OR {event} ON assignments_prestatie "
            "FOR EACH ROW EXECUTE FUNCTION prestatie_hours_month();", params=None)
    return run


# SQLite rebuilds the prestaties to add the column: the hours-month triggers are put aside meanwhile.
TRIGGERS_ASIDE, TRIGGERS_BACK = triggers_aside("assignments_prestatie")


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0012_client_retention_index'),
        ('core', '0013_notification_about'),
        ('workers', '0004_status_count_and_due_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        TRIGGERS_ASIDE,
        migrations.AddField(
            model_name='prestatie',
            name='paid_out',
            field=models.BooleanField(default=False, editable=False, verbose_name='paid out'),
        ),
        migrations.AddIndex(
            model_name='prestatie',
            index=models.Index(condition=models.Q(('paid_out', False), ('status', 'bevestigd')), fields=['organiser', 'worker', 'date'], name='prestatie_unpaid_idx'),
        ),
        TRIGGERS_BACK,
        migrations.RunPython(_recreate_hours_month_trigger(HOURS_MONTH_COLUMNS), _recreate_hours_month_trigger("")),
    ]
