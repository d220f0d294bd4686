"""The shape of the input; the rules are checked by the services."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import today
from wijkwerken.core.forms import DateInput
from wijkwerken.core.models import Municipality

from .models import (
    WEEKDAYS,
    Activity,
    ActivityStatus,
    ClientCategory,
    MainActivity,
    RequestStatus,
    ScheduleKind,
)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ClientRegistrationForm(forms.Form):
    """Used online (with a password) and at the desk (with the ex-PWA flag and an optional e-mail)."""

    category = forms.ChoiceField(label=_("I register as"), choices=ClientCategory.choices,
                                 initial=ClientCategory.PARTICULIER)
    organisation_name = forms.CharField(label=_("Name of the organisation"), max_length=200, required=False)
    kbo_number = forms.CharField(label=_("Enterprise number (KBO)"), max_length=20, required=False,
                                 help_text=_("For organisations. Example: 0123.456.749."))
    first_name = forms.CharField(label=_("First name"), max_length=100,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=100,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    contact_position = forms.CharField(label=_("Function in the organisation"), max_length=100, required=False)
    national_number = forms.CharField(
        label=_("National register number"), max_length=20, required=False,
        help_text=_("For private persons: on the back of your identity card. Needed for the fiscal attest."),
    )
    street = forms.CharField(label=_("Street and number"), max_length=200,
                             widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    postcode = forms.CharField(label=_("Postcode"), max_length=4, min_length=4,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}))
    city = forms.CharField(label=_("Place"), max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.filter(organiser__isnull=False), required=False,
        help_text=_("Only needed when your postcode covers several municipalities."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    iban = forms.CharField(label=_("IBAN for refunds"), max_length=42, required=False)
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    is_ex_pwa = forms.BooleanField(label=_("Ex-PWA client (PWA user on 30 September 2017)"), required=False)

    def __init__(self, *args, online: bool, organiser=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.online = online
        if online:
            del self.fields["is_ex_pwa"]
        else:
            del self.fields["password1"], self.fields["password2"]
            self.fields["category"].label = _("Client category")
            self.fields["email"].required = False
            self.fields["email"].help_text = _("Without an e-mail address the client gets no login.")
            self.fields["municipality"].queryset = Municipality.objects.filter(organiser=organiser)

    def clean(self):
        data = super().clean()
        if self.online and data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", forms.ValidationError(_("The passwords are not the same."),
                                                              code="password_mismatch"))
        elif self.online and data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        password = data.pop("password1", None)
        data.pop("password2", None)
        if self.online:
            data["password"] = password
        return data


class ClientUpdateForm(forms.Form):
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=4, min_length=4)
    city = forms.CharField(label=_("Place"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    iban = forms.CharField(label=_("IBAN for refunds"), max_length=42, required=False)
    is_ex_pwa = forms.BooleanField(label=_("Ex-PWA client (PWA user on 30 September 2017)"), required=False)

    def __init__(self, *args, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["is_ex_pwa"]


class ClientIdentityForm(forms.Form):
    """Staff correct who the client is; the fields of the other kind of client are ignored by the service."""

    category = forms.ChoiceField(label=_("Client category"), choices=ClientCategory.choices)
    name = forms.CharField(label=_("Name of the organisation"), max_length=200, required=False)
    kbo_number = forms.CharField(label=_("Enterprise number (KBO)"), max_length=20, required=False,
                                 help_text=_("For organisations. Example: 0123.456.749."))
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    national_number = forms.CharField(
        label=_("National register number"), max_length=20, required=False,
        help_text=_("Also a BIS number is accepted. Example: 85.07.30-033.28."),
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=250,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Shown in the client's history."))

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        return {"reason": data.pop("reason"), **data}


class ContactForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"))
    position = forms.CharField(label=_("Function"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class SignAgreementForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput(attrs={"class": "form-control"}),
                                initial=today)


class FeePaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), initial=today)


class StopForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             widget=forms.TextInput(attrs={"class": "form-control"}))


class HelpRequestForm(forms.Form):
    """The activity choices come from `activities_allowed_for(client, today)`; the service checks the dates."""

    activity = forms.ModelChoiceField(label=_("What do you need help with?"), queryset=Activity.objects.none(),
                                      empty_label=_("Choose an activity"))
    description = forms.CharField(label=_("Describe the job"), widget=forms.Textarea(attrs={"rows": 3}))
    schedule = forms.ChoiceField(label=_("When"), choices=ScheduleKind.choices, initial=ScheduleKind.ONCE,
                                 widget=forms.RadioSelect)
    start_date = forms.DateField(label=_("Date (or first day)"), widget=DateInput())
    end_date = forms.DateField(label=_("Last day (recurring help)"), widget=DateInput(), required=False)
    weekdays = forms.TypedMultipleChoiceField(label=_("Days (recurring help)"), choices=WEEKDAYS, coerce=int,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    time_from = forms.TimeField(label=_("From"), widget=TimeInput(), required=False)
    time_until = forms.TimeField(label=_("Until"), widget=TimeInput(), required=False)
    hours_per_week = forms.DecimalField(label=_("Hours per week (recurring help)"), max_digits=4, decimal_places=1,
                                        min_value=0.5, max_value=40, required=False)
    other_address = forms.BooleanField(label=_("The job is at another address"), required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=4, required=False)
    city = forms.CharField(label=_("Place"), max_length=100, required=False)
    special_needs = forms.CharField(label=_("Special needs or remarks"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("For example: a dog in the garden, tools present, access."))

    def __init__(self, *args, allowed, candidates, **kwargs):
        """`allowed` fills the list; `candidates` (the organiser's whole list) is what the form accepts, so a
        choice that is not allowed on the requested date gets the service's reason instead of "invalid"."""
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        field.queryset = candidates
        field.widget.choices = [("", field.empty_label)] + [
            (activity.pk, f"{activity.main_activity.name} — {activity.name}") for activity in allowed
        ]
        self.fields["start_date"].initial = today()

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
        data["weekdays"] = data.get("weekdays") or []
        return data


class RequestStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=RequestStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = request_obj.TRANSITIONS[RequestStatus(request_obj.status)]
        self.fields["status"].choices = [(s.value, s.label) for s in allowed]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why do you cancel? (optional)"), max_length=300, required=False)


class ActivityForm(forms.Form):
    category = forms.ChoiceField(label=_("Client category"), choices=ClientCategory.choices)
    main_activity = forms.ModelChoiceField(label=_("Main activity"), queryset=MainActivity.objects.all())
    name = forms.CharField(label=_("Activity"), max_length=300)
    valid_from = forms.DateField(label=_("Allowed from"), widget=DateInput(), initial=today)
    ex_pwa_only = forms.BooleanField(label=_("Only for ex-PWA (transitional measure)"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.OFFICIEEL)
    source = forms.CharField(label=_("Source"), max_length=300, required=False,
                             help_text=_("For example the council decision or the VDAB communication."))


class EndForm(forms.Form):
    last_day = forms.DateField(label=_("Last day"), widget=DateInput(), initial=today)


class RestrictionForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    valid_from = forms.DateField(label=_("Not allowed from"), widget=DateInput(), initial=today)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False,
                             help_text=_("For example the council decision."))

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = (
            lambda a: f"{a.get_category_display()}: {a.main_activity.name} — {a.name}"
        )


class PublicListForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.filter(organiser__isnull=False),
        empty_label=_("Choose a municipality"),
    )
    category = forms.ChoiceField(label=_("Client category"), choices=ClientCategory.choices,
                                 initial=ClientCategory.PARTICULIER)
    on = forms.DateField(label=_("On"), widget=DateInput(), required=False)
