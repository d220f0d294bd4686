"""Sending a signal once the current transaction has committed (receivers then see the committed rows)."""

from django.db import transaction


def send_on_commit(signal, *, sender, **kwargs) -> None:
    """Send `signal` after the commit of the current transaction (at once outside a transaction)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
