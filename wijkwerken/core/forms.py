import datetime
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .dates import today
from .fields import DateField, IntegerField, formfield_for
from .models import Municipality, Organiser, RuleSet
from .rules import rule_set_on
from .services import ORGANISER_FIELDS
from .validators import normalise_bic, normalise_iban, normalise_kbo


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    """One native date-and-time picker (a phone shows its own)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OrganiserForm(forms.ModelForm):
    class Meta:
        model = Organiser
        formfield_callback = formfield_for
        fields = ORGANISER_FIELDS
        widgets = {"postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"})}

    def clean_kbo_number(self):
        return normalise_kbo(self.cleaned_data["kbo_number"])

    def clean_iban(self):
        return normalise_iban(self.cleaned_data["iban"])

    def clean_bic(self):
        return normalise_bic(self.cleaned_data["bic"])


class OrganiserLogoForm(forms.Form):
    """The logo on the yearly reports and fiscal attests: a small PNG or JPEG."""

    MAX_BYTES = 512 * 1024
    FORMATS = ("PNG", "JPEG")

    logo = forms.ImageField(label=_("Logo"), required=False,
                            help_text=_("A PNG or JPEG file of at most 500 kB; it is printed about 6 cm wide."))
    remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo is None:
            return None
        if logo.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The logo is too large: at most 500 kB."), code="too_large")
        if getattr(getattr(logo, "image", None), "format", None) not in self.FORMATS:
            raise forms.ValidationError(_("Choose a PNG or JPEG image."), code="format")
        return logo

    def clean(self):
        data = super().clean()
        if not data.get("logo") and not data.get("remove") and not self.errors:
            raise forms.ValidationError(_("Choose an image, or tick “Remove the logo”."), code="empty")
        return data


class MunicipalityAddForm(forms.Form):
    nis_code = forms.CharField(
        label=_("Municipality (NIS code or name)"),
        max_length=120,
        help_text=_("Type a name or NIS code and choose from the list. Only Flemish municipalities that do not "
                    "belong to another organiser are listed."),
        widget=forms.TextInput(attrs={"list": "free-municipalities", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.free_municipalities = Municipality.objects.filter(organiser__isnull=True).order_by("name")

    def clean_nis_code(self):
        value = self.cleaned_data["nis_code"].strip()
        code = value.split(" ", 1)[0]
        if not code.isdigit():
            match = self.free_municipalities.filter(name__iexact=value).first()
            if match is None:
                raise forms.ValidationError(_("Choose a municipality from the list or type its 5-digit NIS code."),
                                            code="invalid_nis")
            code = match.nis_code
        if len(code) != 5:
            raise forms.ValidationError(_("A NIS code has 5 digits."), code="invalid_nis")
        return code


class ChequePriceForm(forms.Form):
    price = forms.TypedChoiceField(label=_("New cheque price"), coerce=Decimal)
    decided_on = DateField(
        label=_("Date of the council decision"), widget=DateInput(),
        help_text=_("The new price applies from 1 January of the following year."),
    )

    def __init__(self, *args, organiser, **kwargs):
        super().__init__(*args, **kwargs)
        valid_from = datetime.date(today().year + 1, 1, 1)
        allowed = rule_set_on(organiser=organiser, on=valid_from).allowed_cheque_prices()
        self.fields["price"].choices = [(str(p), f"€ {p:.2f}".replace(".", ",")) for p in allowed]
        self.fields["decided_on"].initial = today()


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class PayoutDateForm(forms.Form):
    month = DateField(label=_("Work of the month"), widget=MonthInput(), input_formats=["%Y-%m", "%Y-%m-%d"],
                      error_messages={"invalid": _("Choose a month."), "required": _("Choose a month.")})
    pays_on = DateField(label=_("Payment date"), widget=DateInput(),
                        error_messages={"invalid": _("Enter a valid date."),
                                              "required": _("Enter the payment date.")})


class PayoutCalendarForm(forms.Form):
    year = IntegerField(label=_("Year"), min_value=2018, max_value=2100,
                        error_messages={"min_value": _("Choose a year from 2018."),
                                              "max_value": _("Choose a year before 2100."),
                                              "invalid": _("Enter a year."), "required": _("Enter a year.")})
    working_day = IntegerField(
        label=_("Paid on working day"), min_value=1, max_value=20, initial=5,
        help_text=_("of the following month (weekends and Belgian public holidays do not count)"),
        error_messages={"min_value": _("Choose a working day between 1 and 20."),
                        "max_value": _("Choose a working day between 1 and 20."),
                        "invalid": _("Choose a working day between 1 and 20."),
                        "required": _("Choose a working day between 1 and 20.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = today().year + 1


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        formfield_callback = formfield_for
        fields = ("valid_from", "note", *RuleSet.RULE_FIELDS)
        widgets = {"valid_from": DateInput()}

    def __init__(self, *args, organiser, **kwargs):
        current = rule_set_on(organiser=organiser, on=today())
        initial = kwargs.pop("initial", {}) or {}
        initial = {**current.rule_values(), "valid_from": today(), **initial}
        super().__init__(*args, initial=initial, **kwargs)
        self.instance.organiser = organiser
        self.fields["note"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("valid_from", css_class="col-md-4"), Column("note", css_class="col-md-8")),
            *[Fieldset(title, Row(*[Column(name, css_class="col-md-6") for name in names]))
              for title, names in self.GROUPS],
        )

    GROUPS = (
        (pgettext_lazy("rules", "Trajectory"), (
            "trajectory_planned_months", "trajectory_max_months", "evaluation_interval_months",
            "trajectory_end_warning_days", "interim_max_days", "interim_period_days")),
        (pgettext_lazy("rules", "Hours"), (
            "max_hours_per_month", "max_hours_per_year", "minutes_per_cheque", "auto_validate_working_days",
            "auto_confirm_days", "confirm_reminder_days", "incident_report_working_days")),
        (pgettext_lazy("rules", "Money"), (
            "cheque_price_min", "cheque_price_max", "cheque_price_step", "worker_allowance_per_cheque",
            "travel_allowance_per_km", "travel_allowance_min_km", "registration_fee", "fiscal_reduction_percent",
            "advance_waiting_hours")),
        (pgettext_lazy("rules", "Cheques, orders and data"), (
            "cheque_validity_months", "cheque_expiry_reminder_days", "order_payment_days", "order_grace_days",
            "bank_statement_warning_days", "retention_years", "yearly_documents_day")),
    )
