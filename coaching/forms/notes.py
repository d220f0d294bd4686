from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wijkwerken.core.dates import today
from wijkwerken.core.fields import DateField, IntegerField
from wijkwerken.core.forms import DateInput

from ..models import MAX_NOTE_MINUTES, NOTE_FORM_KINDS
from .goals import ActionForm

ACTION_ROWS = 2


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=NOTE_FORM_KINDS)
    date = DateField(label=_("Date"), widget=DateInput(), initial=today)
    duration_minutes = IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=MAX_NOTE_MINUTES, initial=30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    text = forms.CharField(label=pgettext_lazy("coaching", "Note"), widget=forms.Textarea(attrs={"rows": 6}))


class ActionRowForm(ActionForm):
    """An agreed action in the note form; an empty row is left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("due_on"):
            self.add_error("due_on", _("Give the date by which it is done."))
        if data.get("due_on") and not data.get("description"):
            self.add_error("description", _("Describe the action."))
        return data

    def action(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("description"):
            return None
        return {"description": data["description"], "owner": data["owner"], "due_on": data["due_on"]}


ActionFormSet = forms.formset_factory(ActionRowForm, extra=ACTION_ROWS, max_num=ACTION_ROWS)


class NoteCorrectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=NOTE_FORM_KINDS)
    date = DateField(label=_("Date"), widget=DateInput())
    duration_minutes = IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=MAX_NOTE_MINUTES)
    text = forms.CharField(label=pgettext_lazy("coaching", "Note"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, visit=False, **kwargs):
        super().__init__(*args, **kwargs)
        if visit:
            del self.fields["kind"]
            self.fields["contact_person_said"] = forms.CharField(
                label=_("What the client's contact person said"), required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields["worker_said"] = forms.CharField(
                label=_("What the worker said"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )


class VisitForm(forms.Form):
    assignment = forms.ModelChoiceField(label=_("Assignment visited"), queryset=None, empty_label=None)
    date = DateField(label=_("Date"), widget=DateInput(), initial=today)
    duration_minutes = IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=MAX_NOTE_MINUTES,
                                    initial=45)
    contact_person_said = forms.CharField(
        label=_("What the client's contact person said about the work"), widget=forms.Textarea(attrs={"rows": 3})
    )
    worker_said = forms.CharField(label=_("What the worker said"), widget=forms.Textarea(attrs={"rows": 3}))
    text = forms.CharField(label=_("Your observations"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments


class AddendumForm(forms.Form):
    text = forms.CharField(label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 4}))


class SharedSummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Shared summary"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The mediator and the other staff see this text on the worker page. Write nothing confidential."),
    )
