"""Cheques, payments and refund batches cannot be deleted or truncated (wijkwerken/core/history.py)."""

from django.db import migrations

from wijkwerken.core.history import KeepHistory


class Migration(migrations.Migration):
    dependencies = [
        ("cheques", "0005_bankimport_warnings"),
        ("core", "0009_history_cannot_be_erased"),
    ]

    operations = [
        KeepHistory("cheques_cheque"),
        KeepHistory("cheques_payment"),
        KeepHistory("cheques_refundbatch"),
    ]
