from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assignments")

    def ready(self):
        from . import (
            receivers,  # noqa: F401 (connects the receivers)
            search,  # noqa: F401 (registers the search-as-you-type source)
        )
