"""The form renderer writes a select's options inline: the HTML is Django's own, option for option."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from wijkwerken.core.renderers import FormRenderer


class PlainRadioOption(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"  # an option of another template: still included


CHOICES = [("", "---------"), ("a", "Aalst & <Asse>"), (3, "Drie"), ("Groep", [("g1", "Eén"), ("g2", "Twee")])]


@pytest.mark.parametrize("widget, value", [
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES, attrs={"class": "form-select", "required": True, "aria-describedby": "x"}), 3),
    (forms.Select(choices=CHOICES), None),
    (forms.SelectMultiple(choices=CHOICES), ["g1", "a"]),
    (forms.NullBooleanSelect(), True),
    (PlainRadioOption(choices=CHOICES), "g2"),
])
def test_the_select_is_rendered_as_django_renders_it(widget, value):
    ours = widget.render("field", value, attrs={"id": "id_field"}, renderer=FormRenderer())
    assert ours == widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())


def test_the_forms_of_the_application_use_it():
    class ChooseForm(forms.Form):
        place = forms.ChoiceField(choices=CHOICES)

    form = ChooseForm(data={"place": "a"})
    assert isinstance(form.renderer or get_default_renderer(), FormRenderer)
    assert '<option value="a" selected>Aalst &amp; &lt;Asse&gt;</option>' in str(form["place"])
