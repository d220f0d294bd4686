import datetime

import pytest

from wijkwerken.core.dates import add_months, add_working_days, is_working_day
from wijkwerken.core.geo import distance_km, municipality_centre
from wijkwerken.core.models import Municipality


@pytest.mark.django_db
def test_every_flemish_municipality_has_coordinates_inside_flanders():
    municipalities = list(Municipality.objects.all())
    assert len(municipalities) == 285
    for municipality in municipalities:
        assert municipality.centre is not None, municipality.name
        latitude, longitude = municipality.centre
        assert 50.65 < latitude < 51.52 and 2.53 < longitude < 5.95, municipality.name


def test_merged_municipality_lies_between_its_parts():
    beveren, zwijndrecht = municipality_centre("Beveren"), municipality_centre("Zwijndrecht")
    merged = municipality_centre("Beveren-Kruibeke-Zwijndrecht")
    assert distance_km(merged, beveren) < 10 and distance_km(merged, zwijndrecht) < 10


def test_distances_are_plausible():
    assert 3 < distance_km(municipality_centre("Leuven"), municipality_centre("Herent")) < 6
    assert 45 < distance_km(municipality_centre("Gent"), municipality_centre("Antwerpen")) < 55


@pytest.mark.parametrize("day,months,expected", [
    (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
    (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
    (datetime.date(2028, 2, 29), 12, datetime.date(2029, 2, 28)),
    (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
    (datetime.date(2026, 12, 31), 1, datetime.date(2027, 1, 31)),
])
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_belgian_public_holidays_are_not_working_days():
    assert not is_working_day(datetime.date(2026, 7, 21))  # Nationale feestdag
    assert not is_working_day(datetime.date(2026, 12, 25))
    assert not is_working_day(datetime.date(2026, 11, 22))  # a Sunday
    assert is_working_day(datetime.date(2026, 11, 23))


def test_add_working_days_skips_weekends_and_holidays():
    # Thursday 24 December 2026 + 2 working days: Friday 25 is Christmas, weekend, so Monday 28 and Tuesday 29.
    assert add_working_days(datetime.date(2026, 12, 24), 2) == datetime.date(2026, 12, 29)
    # Across New Year: Thursday 31 December + 1 → Friday 1 January is a holiday → Monday 4 January.
    assert add_working_days(datetime.date(2026, 12, 31), 1) == datetime.date(2027, 1, 4)
