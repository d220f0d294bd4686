"""How coaching answers the signals of the apps below it (connected in `CoachingConfig.ready()`)."""

from django.dispatch import receiver

from workers.signals import trajectory_ended

from .tasks import remind_closing


@receiver(trajectory_ended, dispatch_uid="coaching.ask_for_the_closing")
def ask_the_coach_to_close(sender, *, worker_ids, **kwargs):
    """The signal comes after the commit: the coach is asked for the final measurement and summary by a task."""
    remind_closing.delay(list(worker_ids))
