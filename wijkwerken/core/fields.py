"""Form fields for what a person types, used by every form: no input can crash a page or slip past a rule.

- `DateField`: a date inside a sane window (by default 1 January 2000 up to five years from today), else a
  Dutch message. A date like 0001-01-01 or 9999-12-31 never reaches a service, where adding a month or a
  year to it would overflow. A field for a birth date passes `earliest=BIRTH_EARLIEST, latest=dates.today`.
- `DateTimeField`: a moment on a day inside the same window.
- `IntegerField`, `DecimalField`: only the digits 0-9. Python's int() and Decimal() also read digits from
  other scripts ("٣" is 3); a person who typed those did not mean the number we would store.
- `formfield_for`: the `formfield_callback` of every ModelForm, so a model's date and number fields get the
  same fields.

GET parameters with a date are read by `wijkwerken.core.dates.date_param` with the same window.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dates import EARLIEST, latest_date

BIRTH_EARLIEST = datetime.date(1900, 1, 1)


def _resolve(bound):
    return bound() if callable(bound) else bound


class _DateWindowMixin:
    """A date (or the day of a moment) inside a window of `earliest` to `latest` (dates or callables)."""

    default_error_messages = {
        "out_of_range": _("Enter a date from %(earliest)s to %(latest)s."),
    }

    def __init__(self, *, earliest=EARLIEST, latest=latest_date, **kwargs):
        self.earliest, self.latest = earliest, latest
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        day = value.date() if isinstance(value, datetime.datetime) else value
        earliest, latest = _resolve(self.earliest), _resolve(self.latest)
        if not earliest <= day <= latest:
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range", params={
                "earliest": earliest.strftime("%d/%m/%Y"), "latest": latest.strftime("%d/%m/%Y")})


class DateField(_DateWindowMixin, forms.DateField):
    pass


class DateTimeField(_DateWindowMixin, forms.DateTimeField):
    """A moment whose day lies in the same window as `DateField`'s (and the same message)."""


class _AsciiDigitsMixin:
    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerField(_AsciiDigitsMixin, forms.IntegerField):
    """Also bounded by what an integer column holds, so a very long number is a message, not a database error."""

    def __init__(self, *, max_value=2**31 - 1, **kwargs):
        super().__init__(max_value=max_value, **kwargs)


class DecimalField(_AsciiDigitsMixin, forms.DecimalField):
    pass


def typed_number(value: str) -> int | None:
    """A whole number typed into a search box ("1234"), or None: only digits 0-9, and small enough for an
    integer column (a longer number would make the database refuse the query)."""
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


class NumberFilter(django_filters.NumberFilter):
    """A list filter on a number: digits 0-9 only, like every number a person types."""

    field_class = DecimalField


class DateFilter(django_filters.DateFilter):
    """A list filter on a date: a date outside the window is ignored like any invalid filter value."""

    field_class = DateField


FORM_CLASSES = {models.DateField: DateField, models.IntegerField: IntegerField, models.DecimalField: DecimalField}


def formfield_for(model_field, **kwargs):
    """`Meta.formfield_callback` of every ModelForm: the fields above for dates and numbers."""
    for model_class, form_class in FORM_CLASSES.items():
        if isinstance(model_field, model_class) and not isinstance(model_field, models.DateTimeField):
            kwargs.setdefault("form_class", form_class)
            break
    return model_field.formfield(**kwargs)

