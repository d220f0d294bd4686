from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChequesConfig(AppConfig):
    name = "cheques"
    verbose_name = _("Cheques")

    def ready(self):
        from assignments.events import listen_prestaties_confirmed

        from .tasks import enqueue_settlement

        listen_prestaties_confirmed(enqueue_settlement)
