"""`Prestatie.settlement_status`: the status of the prestatie's settlement ("" before it is settled), kept by
triggers on the settlements (migration cheques 0016), so a payout run reads the month's unpaid work from the
prestaties alone."""

from django.db import migrations, models

from wijkwerken.core.sqlite_triggers import triggers_aside

# SQLite rebuilds the table to add the column: the triggers that name it are put aside and made again.
BEFORE, AFTER = triggers_aside("assignments_prestatie")


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0013_prestatie_paid_out'),
    ]

    operations = [
        BEFORE,
        migrations.AddField(
            model_name='prestatie',
            name='settlement_status',
            field=models.CharField(blank=True, default='', editable=False, max_length=12, verbose_name='settlement'),
        ),
        AFTER,
    ]
