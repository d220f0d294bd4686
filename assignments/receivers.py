"""How assignments answers the signals of the apps below it (connected in `AssignmentsConfig.ready()`)."""

from django.dispatch import receiver

from workers.signals import worker_hours_left_filter

from .selectors.prestaties import workers_with_minutes_left


@receiver(worker_hours_left_filter, dispatch_uid="assignments.hours_left_filter")
def narrow_to_workers_with_hours_left(sender, *, queryset, minutes, on, **kwargs):
    return workers_with_minutes_left(queryset, minutes=minutes, on=on)
