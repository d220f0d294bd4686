"""Forms for incidents, no-shows and the instructions for the wijk-werker. Field names are the services'
argument names: the cleaned data go to the service as they are."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.fields import DateField, DateTimeField
from wijkwerken.core.forms import DateInput, DateTimeInput

from ..models import IncidentKind, NoShowKind


def _capitalised(choices):
    return [(value, capfirst(label)) for value, label in choices]


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of incident?"), choices=_capitalised(IncidentKind.choices),
                             widget=forms.RadioSelect)
    occurred_at = DateTimeField(label=_("When did it happen?"), widget=DateTimeInput(),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
                                      error_messages={"invalid": _("Enter a date and a time.")})
    place = forms.CharField(label=_("Where did it happen?"), max_length=200)
    injured = forms.CharField(label=_("Who was hurt?"), max_length=200, required=False,
                              help_text=_("For an accident: who was hurt, and how. Leave empty when nobody was."))
    description = forms.CharField(label=_("What happened?"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))


class NoShowForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened?"), choices=_capitalised(NoShowKind.choices),
                             widget=forms.RadioSelect)
    date = DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(value, label) for value, label in _capitalised(NoShowKind.choices)
                                           if value in kinds]
            if len(kinds) == 1:
                self.initial.setdefault("kind", kinds[0])


class InstructionsForm(forms.Form):
    instructions = forms.CharField(
        label=_("What to bring or know"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For example: where the key is, the tools that are there, a dog, where to park."))


class DeclarationForm(forms.Form):
    declared_on = DateField(label=_("Declared to the insurer on"), widget=DateInput())
    declaration_reference = forms.CharField(label=_("File number at the insurer"), max_length=100, required=False)
