"""Inputs that cannot crash a page (issue 14, point 6).

Every form of the project is found by walking the subclasses of BaseForm after importing every forms module, so
a new form cannot forget: each date field refuses 0001-01-01, 9999-12-31 and (unless it is a birth date)
1900-01-01 with a Dutch message, and each number field refuses digits from other scripts. Date parameters in URLs
fall back instead of giving a 500."""

import datetime
import importlib
import pkgutil

import pytest
import time_machine
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from wijkwerken.core.dates import date_param, month_param, year_param
from wijkwerken.core.fields import BIRTH_EARLIEST, DateField, IntegerField, typed_number

PROJECT = ("wijkwerken", "assignments", "cheques", "coaching", "workers")
NOW = datetime.datetime(2026, 2, 2, 9, tzinfo=datetime.UTC)


def _project_forms():
    for config in apps.get_app_configs():
        if not config.name.startswith(PROJECT):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{module.__name__}.{info.name}")

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return sorted({cls for cls in walk(forms.BaseForm) if cls.__module__.startswith(PROJECT)},
                  key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _fields(kind):
    return [(f"{cls.__module__}.{cls.__qualname__}.{name}", field)
            for cls in _project_forms() for name, field in getattr(cls, "base_fields", {}).items()
            if isinstance(field, kind)]


def _refusal(field, value, language="nl"):
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            field.clean(value)
        return " ".join(str(message) for message in refused.value.messages)


def test_the_walk_finds_the_forms_with_dates_and_numbers():
    names = {name for name, _field in _fields(forms.DateField)}
    assert len(names) >= 40
    assert {"workers.forms.TrajectoryStartForm.start_date", "workers.forms.TrajectorySuspendForm.end_date",
            "assignments.forms.requests.HelpRequestForm.end_date", "cheques.forms.PaperChequeForm.issued_on",
            "wijkwerken.core.forms.RuleSetForm.valid_from", "workers.forms.WorkerForm.referral_date"} <= names


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1900-01-01"])
def test_every_date_field_of_every_form_refuses_the_ends_of_the_calendar_in_dutch(value):
    for name, field in _fields(forms.DateField):
        assert isinstance(field, DateField), f"{name} is not wijkwerken.core.fields.DateField"
        if value == "1900-01-01" and field.earliest <= BIRTH_EARLIEST:
            continue
        message = _refusal(field, value)
        assert message.startswith("Vul een datum in van "), f"{name}: {message}"


@pytest.mark.parametrize("value", ["٣", "١٠", "１０", "५", "3\u0663"])
def test_every_number_field_of_every_form_refuses_digits_from_other_scripts(value):
    for name, field in _fields((forms.IntegerField, forms.DecimalField)):
        assert type(field).__module__ == "wijkwerken.core.fields", name
        dutch = _refusal(field, value)
        assert dutch != _refusal(field, value, "en"), f"{name}: {dutch} is not translated"


def test_a_date_field_keeps_its_window_and_a_birth_date_may_be_old():
    with time_machine.travel(NOW, tick=False):
        field = DateField()
        assert field.clean("2000-01-01") == datetime.date(2000, 1, 1)
        assert field.clean("2031-02-02") == datetime.date(2031, 2, 2)
        for outside in ("1999-12-31", "2031-02-03"):
            with pytest.raises(ValidationError) as refused:
                field.clean(outside)
            assert refused.value.code == "out_of_range"
        born = DateField(earliest=BIRTH_EARLIEST, latest=datetime.date.today)
        assert born.clean("1900-01-01") == BIRTH_EARLIEST


def test_an_integer_field_refuses_a_number_no_column_holds():
    assert IntegerField().clean("2147483647") == 2147483647
    with pytest.raises(ValidationError):
        IntegerField().clean("99999999999999999999")


@time_machine.travel(NOW, tick=False)
def test_date_parameters_fall_back_instead_of_overflowing():
    fallback = datetime.date(2026, 2, 2)
    for value in ("9999-12-31", "0001-01-01", "1900-01-01", "2026-02-30", "", None, "٢٠٢٦-٠١-٠١"):
        assert date_param(value, fallback) == fallback
    assert date_param("2026-03-09", fallback) == datetime.date(2026, 3, 9)
    assert month_param("9999-12", fallback) == fallback and month_param("2025-11", fallback) == datetime.date(
        2025, 11, 1)
    assert year_param("99999", 2025) == 2025 and year_param("٢٠٢٥", 2024) == 2024 and year_param("2025", 0) == 2025
    assert typed_number("٣") is None and typed_number("12345678901") is None and typed_number(" 42 ") == 42


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["van=0001-01-01&tot=9999-12-31", "van=9999-12-31", "tot=0001-01-01"])
def test_the_money_overview_survives_any_period(client, beheerder, query):
    client.force_login(beheerder)
    assert client.get(f"{reverse('cheques:money_overview')}?{query}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["9999-12", "0001-01", "٢٠٢٥-١١"])
def test_the_payout_preview_survives_any_month(client, beheerder, month):
    client.force_login(beheerder)
    assert client.get(f"{reverse('cheques:payout_preview')}?maand={month}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["99999", "0", "٢٠٢٥", "-1"])
def test_the_attest_overview_survives_any_year(client, beheerder, year):
    client.force_login(beheerder)
    assert client.get(f"{reverse('reports:attest_overview')}?jaar={year}").status_code == 200
