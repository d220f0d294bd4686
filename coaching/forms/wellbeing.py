from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CheckIn

SCALE_WORDS = {1: _("very bad"), 2: _("bad"), 3: _("so-so"), 4: _("good"), 5: _("very good")}
QUESTIONS = {
    "mood": _("How do you feel?"),
    "energy": _("How much energy do you have?"),
    "stress": _("How well do you cope with stress?"),
    "connected": _("How connected do you feel with other people?"),
}


class CheckInForm(forms.Form):
    sentence = forms.CharField(label=_("Anything you want to say? (optional)"), max_length=300, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for scale in CheckIn.SCALES:
            self.fields[scale] = forms.TypedChoiceField(
                label=QUESTIONS[scale], choices=list(SCALE_WORDS.items()),
                coerce=int, widget=forms.RadioSelect, error_messages={"required": _("Choose a number from 1 to 5.")},
            )
        self.order_fields([*CheckIn.SCALES, "sentence"])

    def scale_fields(self):
        return [self[scale] for scale in CheckIn.SCALES]
