"""Covering and partial indexes for the money overview, its lists and the bank queue: every figure reads one
range of an index (the summed value in the index), the lists read a page in index order."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cheques', '0009_payouts_keep_history'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='cheque',
            name='cheque_report_issued_idx',
        ),
        migrations.RemoveIndex(
            model_name='cheque',
            name='cheque_report_redeemed_idx',
        ),
        migrations.RemoveIndex(
            model_name='cheque',
            name='cheque_report_expired_idx',
        ),
        migrations.AddIndex(
            model_name='bankline',
            index=models.Index(condition=models.Q(('status', 'te_behandelen')), fields=['organiser', 'booking_date', 'id'], include=('amount',), name='bankline_queue_idx'),
        ),
        migrations.AddIndex(
            model_name='cheque',
            index=models.Index(fields=['organiser', '-issued_on', 'serial'], include=('value',), name='cheque_report_issued_idx'),
        ),
        migrations.AddIndex(
            model_name='cheque',
            index=models.Index(condition=models.Q(('status', 'gebruikt')), fields=['organiser', 'redeemed_at'], include=('issued_on', 'value'), name='cheque_report_redeemed_idx'),
        ),
        migrations.AddIndex(
            model_name='cheque',
            index=models.Index(condition=models.Q(('status', 'vervallen')), fields=['organiser', 'expires_on'], include=('issued_on', 'value'), name='cheque_report_expired_idx'),
        ),
        migrations.AddIndex(
            model_name='cheque',
            index=models.Index(condition=models.Q(('status', 'beschikbaar'), ('status', 'terugbetaald'), _connector='OR'), fields=['organiser', 'status', 'issued_on'], include=('value',), name='cheque_report_open_idx'),
        ),
        migrations.AddIndex(
            model_name='cheque',
            index=models.Index(condition=models.Q(('status', 'vervallen')), fields=['organiser', '-issued_on', 'serial'], name='cheque_expired_list_idx'),
        ),
    ]
