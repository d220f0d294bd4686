"""Forms for requests for help."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import today
from wijkwerken.core.fields import DateField, DecimalField
from wijkwerken.core.forms import DateInput, TimeInput
from wijkwerken.core.models import Municipality

from ..models.activities import Activity
from ..models.requests import WEEKDAYS, RequestStatus, ScheduleKind


class HelpRequestForm(forms.Form):
    """The activity choices come from `activities_allowed_for(client, today)`; the service checks the dates."""

    activity = forms.ModelChoiceField(label=_("What do you need help with?"), queryset=Activity.objects.none(),
                                      empty_label=_("Choose an activity"))
    description = forms.CharField(label=_("Describe the job"), widget=forms.Textarea(attrs={"rows": 3}))
    schedule = forms.ChoiceField(label=_("When"), choices=ScheduleKind.choices, initial=ScheduleKind.ONCE,
                                 widget=forms.RadioSelect)
    start_date = DateField(label=_("Date (or first day)"), widget=DateInput())
    end_date = DateField(label=_("Last day (recurring help)"), widget=DateInput(), required=False)
    weekdays = forms.TypedMultipleChoiceField(label=_("Days (recurring help)"), choices=WEEKDAYS, coerce=int,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    time_from = forms.TimeField(label=_("From"), widget=TimeInput(), required=False)
    time_until = forms.TimeField(label=_("Until"), widget=TimeInput(), required=False)
    hours_per_week = DecimalField(label=_("Hours per week (recurring help)"), max_digits=4, decimal_places=1,
                                  min_value=0.5, max_value=40, required=False)
    other_address = forms.BooleanField(label=_("The job is at another address"), required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=4, required=False)
    city = forms.CharField(label=_("Place"), max_length=100, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False,
        help_text=_("Only needed when the postcode covers several municipalities."),
    )
    special_needs = forms.CharField(label=_("Special needs or remarks"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("For example: a dog in the garden, tools present, access."))

    def __init__(self, *args, allowed, candidates, municipalities, **kwargs):
        """`allowed` fills the list; `candidates` (the organiser's whole list) is what the form accepts, so a
        choice that is not allowed on the requested date gets the service's reason instead of "invalid".
        `municipalities` (the organiser's) settle a postcode of the job's address that covers several."""
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        field.queryset = candidates
        field.widget.choices = [("", field.empty_label)] + [
            (activity.pk, f"{activity.main_activity.name} — {activity.name}") for activity in allowed
        ]
        self.fields["start_date"].initial = today()
        self.fields["municipality"].queryset = municipalities

    def clean(self):
        data = super().clean()
        if data.get("other_address") and not (data.get("street") and data.get("postcode") and data.get("city")):
            self.add_error("street", forms.ValidationError(_("Fill in the full address of the job."),
                                                           code="address_required"))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.pop("other_address"):
            data["street"] = data["postcode"] = data["city"] = ""
            data["municipality"] = None
        data["weekdays"] = data.get("weekdays") or []
        return data


class RequestStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=RequestStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, help_request, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = help_request.TRANSITIONS[RequestStatus(help_request.status)]
        self.fields["status"].choices = [(s.value, s.label) for s in allowed]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why do you cancel? (optional)"), max_length=300, required=False)
