"""Forms for assignments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import today
from wijkwerken.core.fields import DateField
from wijkwerken.core.forms import DateInput
from wijkwerken.core.search import SearchSelectField


class HandOverForm(forms.Form):
    worker = SearchSelectField(label=_("New wijk-werker"), queryset=None, source="workers-active")
    start_date = DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.initial.setdefault("start_date", today())
