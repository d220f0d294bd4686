from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wijkwerken.core.dates import today
from wijkwerken.core.fields import DateField, IntegerField
from wijkwerken.core.forms import DateInput
from wijkwerken.core.rules import WIJK_WERKEN_START

from .models import ReportAudience
from .periods import Period


class ReportRequestForm(forms.Form):
    """The period of a report: a calendar year (this year: up to today) or any period of days that have been."""

    YEAR, PERIOD = "jaar", "periode"

    kind = forms.ChoiceField(
        label=_("Which period?"), widget=forms.RadioSelect, initial=YEAR,
        choices=[(YEAR, _("A calendar year")), (PERIOD, _("Another period"))],
    )
    year = IntegerField(label=pgettext_lazy("reports", "Year"), required=False,
                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    period_start = DateField(label=_("From"), required=False, widget=DateInput())
    period_end = DateField(label=_("Up to and including"), required=False, widget=DateInput())
    audience = forms.ChoiceField(label=_("For"), choices=ReportAudience.choices, initial=ReportAudience.ORGANISER,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, choose_audience: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = today().year - 1
        if not choose_audience:
            del self.fields["audience"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "kind", "year",
            Row(Column("period_start", css_class="col-sm-6"), Column("period_end", css_class="col-sm-6")),
            *(["audience"] if choose_audience else []),
        )

    def clean(self):
        data = super().clean()
        on = today()
        if data.get("kind") == self.PERIOD:
            start, end = data.get("period_start"), data.get("period_end")
            if start is None and "period_start" not in self.errors:
                self.add_error("period_start", forms.ValidationError(_("Fill in the first day."), code="required"))
            if end is None and "period_end" not in self.errors:
                self.add_error("period_end", forms.ValidationError(_("Fill in the last day."), code="required"))
            if start is None or end is None:
                return data
            if end < start:
                self.add_error("period_end", forms.ValidationError(
                    _("The period ends before it starts: the last day must be on or after the first day."),
                    code="period_order"))
                return data
            if start < WIJK_WERKEN_START:
                self.add_error("period_start", forms.ValidationError(
                    _("Wijk-werken started on 1 January 2018: choose a period from then on."), code="before_start"))
            if end > on:
                self.add_error("period_end", forms.ValidationError(
                    _("A report can only cover days that have been: choose an end date up to today."),
                    code="future"))
            if not self.errors:
                data["period"] = Period(start, end)
        elif data.get("kind") == self.YEAR:
            year = data.get("year")
            if year is None:
                if "year" not in self.errors:
                    self.add_error("year", forms.ValidationError(_("Fill in a year."), code="required"))
                return data
            if year > on.year:
                self.add_error("year", forms.ValidationError(
                    _("%(year)s is still to come: choose this year or an earlier one.") % {"year": year},
                    code="future_year"))
            elif year < WIJK_WERKEN_START.year:
                self.add_error("year", forms.ValidationError(
                    _("Wijk-werken started in 2018: choose 2018 or later."), code="before_start"))
            else:
                period = Period.year(year)
                data["period"] = Period(period.start, min(period.end, on))
        return data


class AttestBatchForm(forms.Form):
    year = IntegerField(label=pgettext_lazy("reports", "Year"),
                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = today().year - 1

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year >= today().year:
            raise forms.ValidationError(
                _("An attest covers a whole calendar year: the attests of %(year)s can be made from 1 January "
                  "%(next)s.") % {"year": year, "next": year + 1}, code="year_not_over")
        if year < WIJK_WERKEN_START.year:
            raise forms.ValidationError(_("Wijk-werken started in 2018: there are no attests before."),
                                        code="before_start")
        return year


class AttestRegenerateForm(forms.Form):
    year = forms.TypedChoiceField(label=pgettext_lazy("reports", "Year"), coerce=int)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        last = today().year - 1
        choices = sorted(set(years) | {last}, reverse=True) if last >= WIJK_WERKEN_START.year else sorted(years)
        self.fields["year"].choices = [(year, year) for year in choices]
        self.fields["year"].initial = last
