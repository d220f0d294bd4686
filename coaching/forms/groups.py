import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.fields import DateField
from wijkwerken.core.forms import DateInput

from .caseload import CoachChoiceField


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PeerGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("What the group is about"), max_length=300, required=False)
    facilitator = CoachChoiceField(label=_("Facilitator"), queryset=None, empty_label=None)

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = coaches


class GroupSessionForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    date = DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput(), initial=datetime.time(10))
    place = forms.CharField(label=_("Place"), max_length=200)
    facilitator = CoachChoiceField(label=_("Facilitator"), queryset=None, empty_label=None)

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = coaches

    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {"topic": data["topic"], "starts_at": self.starts_at(), "place": data["place"],
                "facilitator": data["facilitator"]}


class InviteForm(forms.Form):
    workers = forms.ModelMultipleChoiceField(
        label=_("Invite"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one worker.")},
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = workers


class GroupNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Group note"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("About the session as a whole: what was discussed and agreed. Not about one person."),
    )
