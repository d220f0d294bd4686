"""Forms for clients: registration, details, identity, contacts, agreement, fee and stopping."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import today
from wijkwerken.core.fields import DateField
from wijkwerken.core.forms import DateInput
from wijkwerken.core.models import Municipality

from ..models.clients import ClientCategory


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
    signed_on = DateField(label=_("Signed on"), widget=DateInput(attrs={"class": "form-control"}),
                          initial=today)


class FeePaidForm(forms.Form):
    paid_on = DateField(label=_("Paid on"), widget=DateInput(), initial=today)


class StopForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             widget=forms.TextInput(attrs={"class": "form-control"}))
