"""Forms for the activity list and the municipalities' restrictions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import today
from wijkwerken.core.fields import DateField
from wijkwerken.core.forms import DateInput
from wijkwerken.core.models import Municipality

from ..models.activities import Activity, ActivityStatus, MainActivity
from ..models.clients import ClientCategory


class ActivityForm(forms.Form):
    category = forms.ChoiceField(label=_("Client category"), choices=ClientCategory.choices)
    main_activity = forms.ModelChoiceField(label=_("Main activity"), queryset=MainActivity.objects.all())
    name = forms.CharField(label=_("Activity"), max_length=300)
    valid_from = DateField(label=_("Allowed from"), widget=DateInput(), initial=today)
    ex_pwa_only = forms.BooleanField(label=_("Only for ex-PWA (transitional measure)"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.OFFICIAL)
    source = forms.CharField(label=_("Source"), max_length=300, required=False,
                             help_text=_("For example the council decision or the VDAB communication."))


class EndForm(forms.Form):
    last_day = DateField(label=_("Last day"), widget=DateInput(), initial=today)


class RestrictionForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    valid_from = DateField(label=_("Not allowed from"), widget=DateInput(), initial=today)
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
    on = DateField(label=_("On"), widget=DateInput(), required=False)
