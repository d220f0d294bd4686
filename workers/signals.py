"""What the workers app tells the apps above it (apps depend downward only), as Django signals: one mechanism.

A higher app connects its receivers in its `AppConfig.ready()` (`<app>/receivers.py`); receivers call that app's
services or selectors and hold no business logic of their own.
"""

from django.dispatch import Signal

# The worker list filters on "at least N hours left this month", but the hours belong to `assignments`.
# Sent with `queryset` (workers), `minutes` and `on`; a receiver returns the queryset narrowed to the workers
# with at least `minutes` left under the caps in the month of `on`. Without a receiver the filter is not offered.
worker_hours_left_filter = Signal()

# Trajectories ended (by staff with an outflow reason, or by the daily run at their end date); sent after the
# commit with `trajectory_ids` and `worker_ids` (lists). Coaching asks the coach for the closing measurement.
trajectory_ended = Signal()
