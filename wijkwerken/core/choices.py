"""`get_<field>_display()` from a table of labels translated once per language.

Django's own method rebuilds the field's choices on every call and, hashing each lazy label with
`make_hashable`, translates every choice of the field: about 0.1 ms a call, which a list of 25 rows showing two or
three labels each pays 75 times (the request list spent a fifth of its time there at Flanders scale). The labels
of a field never change while the process runs (every field with choices here takes them from a `TextChoices`),
so they are translated once per field and language and looked up after that.

`install()` (from `CoreConfig.ready`) replaces only the methods Django made: a model that writes its own
`get_<field>_display` keeps it.
"""

from functools import cache, partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@cache
def _labels(field, language: str | None) -> dict:
    return {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}


def _get_field_display(self, field):
    """The label of the field's value in the active language, or the value itself when it is not a choice, as
    Django says it."""
    value = getattr(self, field.attname)
    return _labels(field, get_language()).get(make_hashable(value), value)


def install() -> int:
    """Point every `get_<field>_display` that Django made at the table; returns how many it replaced."""
    replaced = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) is None or not hasattr(field, "attname"):
                continue
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            if isinstance(method, partialmethod) and method.func is Model._get_FIELD_display:
                setattr(model, name, partialmethod(_get_field_display, field=field))
                replaced += 1
    return replaced
