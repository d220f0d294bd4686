from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wijkwerken.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models import Model
        from django.utils.module_loading import autodiscover_modules

        from . import (
            choices,
            lookups,  # noqa: F401 - registers the `__any` lookup
        )
        from .constraints import validate_constraints

        # full_clean() asks the database about all of a model's check constraints in one query, not one each.
        Model.validate_constraints = validate_constraints
        # get_<field>_display() looks its label up in a table translated once per language (see choices.py).
        choices.install()

        # Each app's `worklist.py` says what waits on the start pages and which notifications are still true.
        autodiscover_modules("worklist")
