from django.db import migrations

from wijkwerken.core.history import KeepHistory


class Migration(migrations.Migration):
    """Payout batches, their lines and items: the database refuses DELETE and TRUNCATE, and the app's role gets
    no privilege for either (`manage.py db_grant_app_role` finds the tables by this trigger)."""

    dependencies = [
        ("cheques", "0008_payouts"),
        ("core", "0009_history_cannot_be_erased"),
    ]

    operations = [
        KeepHistory("cheques_payoutbatch"),
        KeepHistory("cheques_payoutline"),
        KeepHistory("cheques_payoutitem"),
    ]
