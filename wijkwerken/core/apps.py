from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wijkwerken.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import lookups  # noqa: F401 - registers the `__any` lookup
