from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assignments")

    def ready(self):
        # The worker list filters on hours left; the hours are ours, so we tell workers how to count them.
        from workers.hooks import register_hours_left_filter

        from .caps import workers_with_minutes_left

        register_hours_left_filter(workers_with_minutes_left)
