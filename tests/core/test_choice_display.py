"""Every model's `get_<field>_display()` says what Django's own says, in every language, from a table translated
once per language (`wijkwerken/core/choices.py`) instead of translating every choice on every call."""

from functools import partialmethod

import pytest
from django.apps import apps
from django.db.models import Model
from django.template import Context, Template
from django.utils import translation

from assignments.models import Client, ClientCategory, HelpRequest, RequestStatus
from wijkwerken.core import choices


def _fields_with_choices():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices is not None:
                yield model, field


def test_every_display_method_django_made_is_replaced():
    fields = list(_fields_with_choices())
    assert len(fields) > 40  # statuses, kinds, categories, roles … of every app
    for model, field in fields:
        declared = next(klass.__dict__[f"get_{field.name}_display"] for klass in model.__mro__
                        if f"get_{field.name}_display" in klass.__dict__)
        if isinstance(declared, partialmethod):
            assert declared.func is choices._get_field_display, f"{model.__name__}.{field.name}"
    assert choices.install() == 0  # installed once, at start-up; a second call finds nothing left to replace


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_choice_of_every_model_reads_as_django_says(language):
    with translation.override(language):
        for model, field in _fields_with_choices():
            instance = model()
            for value, _label in field.flatchoices:
                setattr(instance, field.attname, value)
                ours = getattr(instance, f"get_{field.name}_display")()
                assert ours == Model._get_FIELD_display(instance, field), f"{model.__name__}.{field.name}={value}"


def test_a_value_outside_the_choices_or_empty_reads_as_itself():
    request = HelpRequest(status="onbekend")
    field = HelpRequest._meta.get_field("status")
    assert request.get_status_display() == Model._get_FIELD_display(request, field) == "onbekend"
    request.status = None
    assert request.get_status_display() is None


def test_the_language_of_the_request_decides_and_templates_read_it():
    client = Client(category=ClientCategory.values[0])
    template = Template("{{ c.get_category_display }} · {{ r.get_status_display }}")
    request = HelpRequest(status=RequestStatus.NEW)
    said = {}
    for language in ("nl", "en"):
        with translation.override(language):
            said[language] = template.render(Context({"c": client, "r": request}))
            expected = (f"{Model._get_FIELD_display(client, Client._meta.get_field('category'))} · "
                        f"{Model._get_FIELD_display(request, HelpRequest._meta.get_field('status'))}")
            assert said[language] == expected
    assert said["nl"] != said["en"]
