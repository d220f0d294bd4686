from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerken.accounts.models import Role, User
from wijkwerken.core.fields import formfield_for

from ..models import CoachingSettings


def _colleagues(organiser_id, role):
    return User.objects.filter(organiser_id=organiser_id, role=role, is_active=True).order_by("last_name", "first_name")


class CoachChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class CoachAssignForm(forms.Form):
    coach = CoachChoiceField(label=_("Work coach"), queryset=User.objects.none(), empty_label=None)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)

    def __init__(self, *args, organiser_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = _colleagues(organiser_id, Role.WERKCOACH)


class BulkAssignForm(CoachAssignForm):
    workers = forms.ModelMultipleChoiceField(
        label=_("Wijk-werkers"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one worker.")},
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = workers


class NoteAccessGrantForm(forms.Form):
    user = CoachChoiceField(label=_("Administrator"), queryset=User.objects.none(), empty_label=None)
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organiser_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _colleagues(organiser_id, Role.BEHEERDER)


class CoachingSettingsForm(forms.ModelForm):
    class Meta:
        model = CoachingSettings
        formfield_callback = formfield_for
        fields = CoachingSettings.FIELDS
        widgets = {name: forms.NumberInput(attrs={"inputmode": "numeric"}) for name in CoachingSettings.FIELDS}
