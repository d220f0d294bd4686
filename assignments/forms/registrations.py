"""Forms for online registrations: the bemiddelaar's rejection (the registration form itself is in clients)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the person)"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))
