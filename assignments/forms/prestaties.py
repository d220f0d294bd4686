"""Forms for hours: registering, correcting, disputing and resolving."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import today
from wijkwerken.core.forms import DateInput, TimeInput


class HoursForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    end_time = forms.TimeField(label=_("End time"), widget=TimeInput())

    def __init__(self, *args, assignment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment is not None and not self.is_bound:
            self.initial.setdefault("date", min(today(), assignment.end_date))
            self.initial.setdefault("start_time", assignment.time_from)
            self.initial.setdefault("end_time", assignment.time_until)


class CorrectionForm(HoursForm):
    note = forms.CharField(label=_("Reason for the correction"), max_length=300)


class DisputeForm(forms.Form):
    """Named as `prestatie_dispute` names its arguments: the form's data go to the service as they are."""

    reason = forms.CharField(label=_("What is not right?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect, choices=[
        ("upheld", _("The hours stand: confirm them")),
        ("cancelled", _("The hours did not happen: cancel them")),
    ])
    note = forms.CharField(label=_("Note"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
