from django import forms
from django.utils.translation import gettext_lazy as _


class ClosingForm(forms.Form):
    closing_summary = forms.CharField(
        label=_("Closing summary"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("This text is printed in the worker's portfolio: what they learned and can do. Write it for a "
                    "future employer; nothing confidential."),
    )
