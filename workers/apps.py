from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    name = "workers"
    verbose_name = _("Wijk-werkers")

    def ready(self):
        from . import search  # noqa: F401 (registers the search-as-you-type sources)
