import pytest

from wijkwerken.core.models import Municipality, PostalCode
from wijkwerken.core.municipalities import flemish_municipalities, sync_flemish_municipalities

pytestmark = pytest.mark.django_db


def test_every_flemish_municipality_is_seeded():
    assert Municipality.objects.count() == 285
    assert Municipality.objects.filter(nis_code="24062", name="Leuven").exists()
    # Merged on 1 January 2025: Beveren-Kruibeke-Zwijndrecht replaces its three parts.
    assert not Municipality.objects.filter(name="Zwijndrecht").exists()
    assert not Municipality.objects.filter(nis_code__startswith="21").exists()  # Brussels is not Flemish


def test_postcodes_map_to_municipalities():
    assert set(PostalCode.objects.filter(code="3000").values_list("municipality__name", flat=True)) == {"Leuven"}
    assert "3010" in Municipality.objects.get(nis_code="24062").postcode_list


def test_sync_is_idempotent():
    before = (Municipality.objects.count(), PostalCode.objects.count())
    assert sync_flemish_municipalities(Municipality, PostalCode) == 285
    assert (Municipality.objects.count(), PostalCode.objects.count()) == before


def test_source_list_has_285_municipalities():
    assert len(flemish_municipalities()) == 285
