from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import today
from wijkwerken.core.fields import DateField, formfield_for
from wijkwerken.core.forms import DateInput
from wijkwerken.core.identity import format_national_number, normalise_national_number
from wijkwerken.core.models import Municipality
from wijkwerken.core.validators import normalise_iban

from .activities import main_activity_choices
from .models import Certificate, DayPart, Language, Mobility, OutflowReason, Weekday, Worker


def availability_choices():
    return [
        (f"{day}-{part}", f"{day_label} {part_label}")
        for day, day_label in Weekday.choices
        for part, part_label in DayPart.choices
    ]


class WorkerForm(forms.ModelForm):
    """Registration and changes. Cross-row rules (domicile, duplicates) are checked by the service."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    mobility = forms.MultipleChoiceField(
        label=_("Mobility"), choices=Mobility.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    certificates = forms.MultipleChoiceField(
        label=_("Certificates"), choices=Certificate.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills (by main activity)"),
        choices=main_activity_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.MultipleChoiceField(
        label=_("Interests (by main activity)"),
        choices=main_activity_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    national_number = forms.CharField(
        label=_("National register number or BIS number"),
        max_length=20,
        help_text=_("Rijksregisternummer or BIS number, e.g. 85.07.30-033.28."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    iban = forms.CharField(
        label=_("IBAN for payouts"), max_length=42, required=False, help_text=_("Example: BE71 0961 2345 6769.")
    )
    availability = forms.MultipleChoiceField(
        label=_("Weekly availability"),
        choices=availability_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Worker
        formfield_callback = formfield_for
        fields = (
            "first_name",
            "last_name",
            "national_number",
            "email",
            "phone",
            "street",
            "postcode",
            "city",
            "municipality",
            "referral",
            "referrer_name",
            "referral_date",
            "consent_signed_on",
            "languages",
            "mobility",
            "max_distance_km",
            "certificates",
            "iban",
            "ex_pwa",
            "bemiddelaar",
            "coach",
            "notes",
        )
        widgets = {
            "referral_date": DateInput(),
            "consent_signed_on": DateInput(),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organiser, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organiser = organiser
        staff = User.objects.filter(organiser=organiser, is_active=True)
        self.fields["bemiddelaar"].queryset = staff.filter(role__in=[Role.BEMIDDELAAR, Role.BEHEERDER])
        self.fields["coach"].queryset = staff.filter(role=Role.WERKCOACH)
        self.fields["municipality"].queryset = Municipality.objects.filter(organiser=organiser).order_by("name")
        self.fields["municipality"].required = False
        self.fields["municipality"].help_text = _("Only needed when the postcode covers several municipalities.")
        self.fields["consent_signed_on"].required = True
        self.fields["referral_date"].initial = today()
        if self.instance.pk:
            self.initial["national_number"] = format_national_number(self.instance.national_number)
            activities = list(self.instance.activities.values_list("activity", "kind"))
            self.initial["skills"] = [a for a, kind in activities if kind == "skill"]
            self.initial["interests"] = [a for a, kind in activities if kind == "interest"]
            self.initial["availability"] = [s.slot for s in self.instance.availability.all()]

    def availability_rows(self):
        """The availability checkboxes as a grid: one row per part of the day, one column per weekday."""
        boxes = list(self["availability"].subwidgets)
        parts = len(DayPart.choices)
        return [(label, boxes[index::parts]) for index, (_value, label) in enumerate(DayPart.choices)]

    def clean_national_number(self):
        return normalise_national_number(self.cleaned_data["national_number"])

    def clean_iban(self):
        value = self.cleaned_data["iban"].strip()
        return normalise_iban(value.upper()) if value else ""

    def _post_clean(self):
        # Model validation (domicile, uniqueness) runs in the service, with the organiser's context.
        pass


class TrajectoryStartForm(forms.Form):
    start_date = DateField(label=_("Start date"), widget=DateInput(), initial=today)
    end_date = DateField(
        label=_("Current end date (only when it was already extended)"), widget=DateInput(), required=False,
        help_text=_("For a trajectory that started earlier and was extended before it was entered here."),
    )


class TrajectoryExtendForm(forms.Form):
    new_end_date = DateField(label=_("New end date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200)


class TrajectorySuspendForm(forms.Form):
    start_date = DateField(label=_("From"), widget=DateInput())
    end_date = DateField(label=_("Up to and including"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200)


class TrajectoryEndForm(forms.Form):
    ended_on = DateField(label=_("End date"), widget=DateInput(), initial=today)
    outflow_reason = forms.ChoiceField(label=_("Outflow reason"), choices=OutflowReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationForm(forms.Form):
    evaluated_on = DateField(label=_("Evaluated on"), widget=DateInput(), initial=today)
    note = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))


class FollowUpForm(forms.Form):
    done_on = DateField(label=_("Followed up on"), widget=DateInput(), initial=today)
    situation = forms.ChoiceField(label=_("Situation of the worker"), choices=OutflowReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InterimWorkForm(forms.Form):
    start_date = DateField(label=_("From"), widget=DateInput())
    end_date = DateField(label=_("Up to and including"), widget=DateInput())
    employer = forms.CharField(label=_("Interim agency or employer"), max_length=200)


class WorkerAccountForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address for the login"))
