"""Forms for matching: assigning a candidate and excluding a worker for a client."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkwerken.core.fields import DateField
from wijkwerken.core.search import SearchSelectField
from workers.models import Worker
from workers.selectors import workers_visible_to

# A browser's date field wants ISO dates, whatever the language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssignForm(forms.Form):
    start_date = DateField(label=gettext_lazy("First day"), widget=DATE)
    end_date = DateField(label=gettext_lazy("Last day"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", ValidationError(_("The last day cannot be before the first day."),
                                                       code="period_order"))
        return data


class ExclusionForm(forms.Form):
    worker = SearchSelectField(label=gettext_lazy("Wijk-werker"), queryset=Worker.objects.none(), source="workers")
    reason = forms.CharField(label=gettext_lazy("Why"), max_length=300)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers_visible_to(user).order_by("last_name", "first_name")
