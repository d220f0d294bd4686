"""What the assignments app tells the apps above it (apps depend downward only), as Django signals.

A higher app connects its receivers in its `AppConfig.ready()` (`<app>/receivers.py`). Signals that announce a
change are sent after the commit of the transaction that made it (`wijkwerken.core.signals.send_on_commit`), so
a receiver only enqueues work (a Celery task) and never runs inside the service's transaction.
"""

from django.dispatch import Signal

# Hours were confirmed (by the client, by staff on the client's behalf, or automatically); sent with
# `prestatie_ids`, a list of ids, after the commit.
prestaties_confirmed = Signal()
