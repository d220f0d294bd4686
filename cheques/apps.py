from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChequesConfig(AppConfig):
    name = "cheques"
    verbose_name = _("Cheques")

    def ready(self):
        from . import receivers  # noqa: F401 (connects the receivers)
