from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.fields import DateField
from wijkwerken.core.forms import DateInput

from ..models import ActionOwner, Competence, GoalProgress


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ChoiceField(label=_("Who"), choices=ActionOwner.choices)
    due_on = DateField(label=_("By"), widget=DateInput())


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)
    competence = forms.ModelChoiceField(
        label=_("Competence"), queryset=Competence.objects.none(), required=False, empty_label=_("(none)")
    )

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        if framework is not None:
            self.fields["competence"].queryset = framework.competences.all()


class GoalReviewForm(forms.Form):
    progress = forms.ChoiceField(label=_("Progress"), choices=GoalProgress.choices)
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)
