"""Which coaching messages stay true (see wijkwerken.core.notifications): a request to a wijk-werker to score
themselves while the measurement waits for their scores, and an action past its date while it is still open (to
the coach and, for their own action, to the worker). Once done, the message goes to the archive by itself.

The coach's reminders about a person (a measurement due, no contact for weeks, the closing, a wellbeing check-in
that needs attention) ask for the coach's judgement, not for one record to change: they stay until read."""

from wijkwerken.core.dates import today
from wijkwerken.core.notifications import notification_kinds

from .models import ActionStatus, GoalAction, Measurement

notification_kinds({
    "coaching.self_assessment": lambda: Measurement.objects.filter(self_scored_at__isnull=True).values("pk"),
    "coaching.action_overdue": lambda: GoalAction.objects.filter(status=ActionStatus.OPEN, due_on__lt=today())
    .values("pk"),
})
