from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wijkwerken.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import lookups  # noqa: F401 - registers the `__any` lookup

        # Each app's `worklist.py` says what waits on the start pages and which notifications are still true.
        autodiscover_modules("worklist")
