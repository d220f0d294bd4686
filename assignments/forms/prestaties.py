"""Forms for hours: registering, correcting, disputing and resolving."""

from decimal import Decimal

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import today
from wijkwerken.core.fields import DateField, DecimalField
from wijkwerken.core.forms import DateInput, TimeInput
from wijkwerken.core.rules import rules_for

from ..models import MAX_ROUND_TRIP_KM
from ..selectors.prestaties import proposed_kilometres

KILOMETRES_RANGE = lazy(lambda: gettext("Enter the kilometres of the round trip: between 0 and %(max)s.")
                        % {"max": MAX_ROUND_TRIP_KM}, str)()


def kilometres_field(**kwargs) -> forms.DecimalField:
    """The round trip home - work place - home, in km with at most one decimal."""
    return DecimalField(
        label=_("Kilometres (round trip)"), min_value=0, max_value=MAX_ROUND_TRIP_KM, max_digits=4,
        decimal_places=1, localize=True,
        error_messages={"min_value": _("The kilometres cannot be negative."), "max_value": KILOMETRES_RANGE,
                        "invalid": _("Enter the kilometres as a number, e.g. 12,5."),
                        "max_decimal_places": _("Enter the kilometres with at most one decimal."),
                        "max_digits": KILOMETRES_RANGE, "max_whole_digits": KILOMETRES_RANGE,
                        "required": _("Enter the kilometres of the round trip (0 when you did not travel).")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}), **kwargs)


class HoursForm(forms.Form):
    date = DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    end_time = forms.TimeField(label=_("End time"), widget=TimeInput())
    kilometres = kilometres_field(required=False, help_text=_("From home to the work place and back."))
    # Shown only after the service found the hours unusual (outside the schedule, a long day).
    warnings_confirmed = forms.BooleanField(label=_("The hours are right: save them with this warning"),
                                            required=False)

    def __init__(self, *args, assignment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment is not None and not self.is_bound:
            self.initial.setdefault("date", min(today(), assignment.end_date))
            self.initial.setdefault("start_time", assignment.time_from)
            self.initial.setdefault("end_time", assignment.time_until)
        if assignment is not None:
            self._explain_kilometres(assignment)

    def _explain_kilometres(self, assignment):
        minimum = rules_for(organiser=assignment.organiser, on=today()).travel_allowance_min_km
        paid_from = gettext("The travel allowance is paid for a round trip of more than %(min)s km.") % {
            "min": minimum}
        proposal = proposed_kilometres(assignment)
        if proposal is None:
            self.fields["kilometres"].help_text = " ".join([gettext("From home to the work place and back."),
                                                            paid_from])
            return
        if not self.is_bound:
            self.initial.setdefault("kilometres", proposal)
        self.fields["kilometres"].help_text = " ".join([gettext(
            "Proposed: %(km)s km, twice the distance between %(home)s and %(place)s as the crow flies. Fill in "
            "the real round trip.") % {"km": proposal, "home": assignment.worker.municipality.name,
                                       "place": assignment.municipality.name}, paid_from])

    def clean_kilometres(self):
        value = self.cleaned_data.get("kilometres")
        return Decimal("0") if value is None else value


class CorrectionForm(HoursForm):
    warnings_confirmed = None  # staff correct while validating: they see the warnings on the page
    note = forms.CharField(label=_("Reason for the correction"), max_length=300)


class KilometresForm(forms.Form):
    """Named as `prestatie_correct_kilometres` names its arguments."""

    kilometres = kilometres_field()
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
