from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import today
from wijkwerken.core.fields import DateField
from wijkwerken.core.forms import DateInput

from ..models import SCALE, MeasurementMoment


class MeasurementStartForm(forms.Form):
    moment = forms.ChoiceField(label=_("Moment"), choices=MeasurementMoment.choices)
    taken_on = DateField(label=_("Date"), widget=DateInput(), initial=today)


class ScoreForm(forms.Form):
    """One choice per competence of the measurement's framework, each level with its description."""

    def __init__(self, *args, competences, **kwargs):
        super().__init__(*args, **kwargs)
        self.competences = list(competences)
        for competence in self.competences:
            self.fields[f"competence_{competence.pk}"] = forms.TypedChoiceField(
                label=competence.name,
                help_text=competence.description,
                choices=[(level, f"{level} — {text}") for level, text in competence.level_rows()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level for this competence.")},
            )

    def levels(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"competence_{c.pk}"] for c in self.competences}

    def rows(self):
        return [(competence, self[f"competence_{competence.pk}"]) for competence in self.competences]


class CompetenceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("What it is about"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for level in SCALE:
            self.fields[f"level_{level}"] = forms.CharField(
                label=_("Level %(level)s") % {"level": level}, max_length=300,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @classmethod
    def initial_for(cls, competence) -> dict:
        initial = {"name": competence.name, "description": competence.description}
        initial.update({f"level_{level}": text for level, text in competence.level_rows()})
        return initial

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "description": data["description"],
                "levels": [data[f"level_{level}"] for level in SCALE]}
