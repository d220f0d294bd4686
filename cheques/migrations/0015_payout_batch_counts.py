"""What a payout batch's items count, kept on the batch (filled here from the items of the batches there are), and
the indexes the money overview walks a period's items by (one per figure). The batches are final (trigger
`payoutbatch_is_final`, migration 0008): the fill switches that trigger off for its one UPDATE, inside this
migration's transaction."""

from django.db import migrations, models

from wijkwerken.core.sqlite_triggers import triggers_aside

FILL = """
UPDATE cheques_payoutbatch SET
  prestaties = (SELECT COUNT(*) FROM cheques_payoutitem i JOIN cheques_payoutline l ON l.id = i.line_id
                WHERE l.batch_id = cheques_payoutbatch.id AND i.kind = 'vergoeding'),
  travel_count = (SELECT COUNT(*) FROM cheques_payoutitem i JOIN cheques_payoutline l ON l.id = i.line_id
                  WHERE l.batch_id = cheques_payoutbatch.id AND i.kind = 'vergoeding' AND i.travel <> 0),
  correction_count = (SELECT COUNT(*) FROM cheques_payoutitem i JOIN cheques_payoutline l ON l.id = i.line_id
                      WHERE l.batch_id = cheques_payoutbatch.id AND i.kind <> 'vergoeding')
"""


def fill(apps, schema_editor):
    final = schema_editor.connection.vendor == "postgresql"
    if final:
        schema_editor.execute("ALTER TABLE cheques_payoutbatch DISABLE TRIGGER payoutbatch_is_final", params=None)
    schema_editor.execute(FILL, params=None)
    if final:
        schema_editor.execute("ALTER TABLE cheques_payoutbatch ENABLE TRIGGER payoutbatch_is_final", params=None)


# SQLite rebuilds the batches and the items for the columns and the indexes: their triggers are put aside meanwhile.
TRIGGERS_ASIDE, TRIGGERS_BACK = triggers_aside("cheques_payoutbatch", "cheques_payoutitem")


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0013_prestatie_paid_out'),
        ('cheques', '0014_prestatie_paid_out_trigger'),
        ('core', '0013_notification_about'),
        ('workers', '0004_status_count_and_due_indexes'),
    ]

    operations = [
        TRIGGERS_ASIDE,
        migrations.AddField(
            model_name='payoutbatch',
            name='correction_count',
            field=models.PositiveIntegerField(default=0, verbose_name='corrections'),
        ),
        migrations.AddField(
            model_name='payoutbatch',
            name='prestaties',
            field=models.PositiveIntegerField(default=0, verbose_name='prestaties paid'),
        ),
        migrations.AddField(
            model_name='payoutbatch',
            name='travel_count',
            field=models.PositiveIntegerField(default=0, verbose_name='prestaties with a travel allowance'),
        ),
        migrations.AddIndex(
            model_name='payoutitem',
            index=models.Index(condition=models.Q(('kind', 'vergoeding')), fields=['organiser', 'date', 'id'], name='payoutitem_payment_idx'),
        ),
        migrations.AddIndex(
            model_name='payoutitem',
            index=models.Index(condition=models.Q(('kind', 'vergoeding'), models.Q(('travel', 0), _negated=True)), fields=['organiser', 'date', 'id'], name='payoutitem_travel_idx'),
        ),
        migrations.AddIndex(
            model_name='payoutitem',
            index=models.Index(condition=models.Q(('kind', 'vergoeding'), _negated=True), fields=['organiser', 'date', 'id'], name='payoutitem_correction_idx'),
        ),
        TRIGGERS_BACK,
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
