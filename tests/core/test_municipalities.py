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


# Postcode 1804 (Cargovil) is shared by Zemst and Vilvoorde: the one helper asks, it never guesses.
ZEMST, VILVOORDE = "23096", "23088"


@pytest.fixture
def shared_postcode(organiser):
    from tests.core.factories import municipality_for

    return municipality_for(organiser, ZEMST), municipality_for(organiser, VILVOORDE)


def test_a_shared_postcode_asks_which_municipality(organiser, shared_postcode):
    from django.core.exceptions import ValidationError

    from wijkwerken.core.municipalities import municipality_for_postcode

    zemst, vilvoorde = shared_postcode
    with pytest.raises(ValidationError) as error:
        municipality_for_postcode(postcode="1804", organiser=organiser)
    assert error.value.error_dict["municipality"][0].code == "ambiguous_postcode"
    assert municipality_for_postcode(postcode="1804", organiser=organiser, municipality=vilvoorde) == vilvoorde
    # A choice is ignored where the postcode leaves none.
    assert municipality_for_postcode(postcode="1800", organiser=organiser, municipality=zemst) == vilvoorde


def test_a_worker_with_a_shared_postcode_is_asked_like_a_client(client, organiser, shared_postcode, bemiddelaar):
    """Before, the worker was silently put in the first municipality while a client was asked."""
    from django.urls import reverse

    from tests.workers.test_views import form_data
    from workers.models import Worker

    zemst, vilvoorde = shared_postcode
    client.force_login(bemiddelaar)
    data = form_data(bemiddelaar=bemiddelaar.pk, postcode="1804", city="Vilvoorde")
    response = client.post(reverse("workers:worker_create"), data)
    assert response.status_code == 200 and not Worker.objects.exists()
    assert [e.code for e in response.context["form"].errors.as_data()["municipality"]] == ["ambiguous_postcode"]
    response = client.post(reverse("workers:worker_create"), {**data, "municipality": vilvoorde.pk})
    assert response.status_code == 302 and Worker.objects.get().municipality == vilvoorde
