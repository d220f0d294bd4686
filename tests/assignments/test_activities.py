import datetime

import pytest
from django.core.exceptions import ValidationError

from assignments.models import ActivityRestriction, ClientCategory
from assignments.selectors import activities_allowed_for, activities_allowed_in, activity_list_for
from assignments.services import (
    activity_create,
    activity_end,
    activity_list_seed,
    activity_restrict,
    activity_restriction_end,
)
from assignments.services.activities import load_activity_list
from tests.assignments.factories import ClientFactory, MainActivityFactory, activity
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db

GRASS = "Gras maaien"
WASHING = "Wassen van textiel"  # ex-PWA only
CHANGE_DAY = datetime.date(2027, 3, 1)


def names(queryset):
    return {a.name for a in queryset}


def test_seed_loads_every_item_once_with_source_status_and_flag(organiser, activity_list):
    data = load_activity_list()
    expected = sum(len(items) for items in data["activiteiten"].values())
    assert activity_list.count() == expected
    assert activity_list_seed(organiser=organiser) == 0  # idempotent
    washing = activity(organiser, WASHING)
    assert washing.ex_pwa_only and washing.status == "officieel" and "Machelen" in washing.source
    pets = activity(organiser, "Oppassen op huisdieren")
    assert pets.status == "praktijkvoorbeeld"
    assert pets.main_activity.code == "ondersteuning-en-hulp-bij-begeleiding-van-personen"


def test_allowed_follows_category_and_ex_pwa(organiser, leuven, activity_list):
    client = ClientFactory(municipality=leuven)
    allowed = names(activities_allowed_for(client=client, on=datetime.date(2026, 12, 1)))
    assert GRASS in allowed
    assert WASHING not in allowed
    assert "Busbegeleiding" not in allowed  # onderwijs only
    client.is_ex_pwa = True
    assert WASHING in names(activities_allowed_for(client=client, on=datetime.date(2026, 12, 1)))
    school = ClientFactory(municipality=leuven, category=ClientCategory.ONDERWIJS)
    assert names(activities_allowed_for(client=school, on=datetime.date(2026, 12, 1))) == {
        a.name for a in activity_list.filter(category="onderwijs")}


def test_municipal_restriction_applies_from_its_date_only_in_that_municipality(
    organiser, leuven, herent, activity_list, make_user
):
    gemeente = make_user(Role.GEMEENTE, municipality=leuven)
    grass = activity(organiser, GRASS)
    restriction = activity_restrict(municipality=leuven, activity=grass, valid_from=CHANGE_DAY, actor=gemeente,
                                    reason="Eigen groendienst")
    in_leuven = ClientFactory(municipality=leuven)
    in_herent = ClientFactory(municipality=herent)
    day_before = CHANGE_DAY - datetime.timedelta(days=1)
    assert GRASS in names(activities_allowed_for(client=in_leuven, on=day_before))
    assert GRASS not in names(activities_allowed_for(client=in_leuven, on=CHANGE_DAY))
    assert GRASS not in names(activities_allowed_for(client=in_leuven, on=datetime.date(2030, 1, 1)))
    assert GRASS in names(activities_allowed_for(client=in_herent, on=CHANGE_DAY))
    # Work in Leuven for a Herent client follows the Leuven list.
    assert GRASS not in names(activities_allowed_for(client=in_herent, on=CHANGE_DAY, municipality=leuven))

    activity_restriction_end(restriction=restriction, last_day=datetime.date(2027, 6, 30), actor=gemeente)
    assert GRASS not in names(activities_allowed_for(client=in_leuven, on=datetime.date(2027, 6, 30)))
    assert GRASS in names(activities_allowed_for(client=in_leuven, on=datetime.date(2027, 7, 1)))
    actions = set(AuditEntry.objects.for_object(grass).values_list("action", flat=True))
    assert actions == {"activity.restrict", "activity.restriction_end"}


def test_local_extension_from_a_date(organiser, leuven, herent, activity_list, make_user):
    gemeente = make_user(Role.GEMEENTE, municipality=herent)
    main = MainActivityFactory(name="Klein tuinonderhoud")
    local = activity_create(organiser=organiser, municipality=herent, category=ClientCategory.VZW,
                            main_activity=main, name="Onderhoud van het clubterrein", valid_from=CHANGE_DAY,
                            actor=gemeente)
    assert local.is_local
    vzw_herent = ClientFactory(municipality=herent, category=ClientCategory.VZW)
    vzw_leuven = ClientFactory(municipality=leuven, category=ClientCategory.VZW)
    assert local not in activities_allowed_for(client=vzw_herent, on=CHANGE_DAY - datetime.timedelta(days=1))
    assert local in activities_allowed_for(client=vzw_herent, on=CHANGE_DAY)
    assert local not in activities_allowed_for(client=vzw_leuven, on=CHANGE_DAY)
    activity_end(activity=local, last_day=datetime.date(2027, 12, 31), actor=gemeente)
    assert local not in activities_allowed_for(client=vzw_herent, on=datetime.date(2028, 1, 1))


def test_flemish_list_change_by_beheerder_is_versioned(organiser, leuven, activity_list, beheerder):
    grass = activity(organiser, GRASS)
    activity_end(activity=grass, last_day=datetime.date(2027, 12, 31), actor=beheerder)
    main = grass.main_activity
    new_version = activity_create(organiser=organiser, category="particulier", main_activity=main, name=GRASS,
                                  valid_from=datetime.date(2028, 1, 1), ex_pwa_only=True, actor=beheerder)
    client = ClientFactory(municipality=leuven)
    assert grass in activities_allowed_for(client=client, on=datetime.date(2027, 12, 31))
    assert new_version not in activities_allowed_for(client=client, on=datetime.date(2028, 1, 1))
    assert GRASS not in names(activities_allowed_for(client=client, on=datetime.date(2028, 1, 1)))
    grass.refresh_from_db()
    assert grass.valid_until == datetime.date(2027, 12, 31)


def test_overlapping_duplicate_is_refused(organiser, activity_list, beheerder):
    grass = activity(organiser, GRASS)
    with pytest.raises(ValidationError) as error:
        activity_create(organiser=organiser, category="particulier", main_activity=grass.main_activity,
                        name="gras maaien", valid_from=datetime.date(2027, 1, 1), actor=beheerder)
    assert error.value.error_dict["name"][0].code == "duplicate_activity"


def test_only_the_beheerder_edits_the_flemish_list_and_gemeente_only_its_own(
    organiser, leuven, herent, activity_list, bemiddelaar, make_user
):
    grass = activity(organiser, GRASS)
    with pytest.raises(ValidationError) as error:
        activity_end(activity=grass, last_day=datetime.date(2027, 1, 1), actor=bemiddelaar)
    assert error.value.code == "not_beheerder"
    gemeente = make_user(Role.GEMEENTE, municipality=leuven)
    with pytest.raises(ValidationError) as error:
        activity_restrict(municipality=herent, activity=grass, valid_from=CHANGE_DAY, actor=gemeente)
    assert error.value.code == "foreign_municipality"
    assert not ActivityRestriction.objects.exists()


def test_double_restriction_is_refused(organiser, leuven, activity_list, make_user):
    gemeente = make_user(Role.GEMEENTE, municipality=leuven)
    grass = activity(organiser, GRASS)
    activity_restrict(municipality=leuven, activity=grass, valid_from=CHANGE_DAY, actor=gemeente)
    with pytest.raises(ValidationError) as error:
        activity_restrict(municipality=leuven, activity=grass, valid_from=datetime.date(2028, 1, 1), actor=gemeente)
    assert error.value.error_dict["activity"][0].code == "already_restricted"
    assert ActivityRestriction.objects.count() == 1


def test_public_list_per_municipality_and_category(organiser, leuven, activity_list, make_user):
    gemeente = make_user(Role.GEMEENTE, municipality=leuven)
    activity_restrict(municipality=leuven, activity=activity(organiser, GRASS), valid_from=CHANGE_DAY,
                      actor=gemeente)
    before = names(activities_allowed_in(municipality=leuven, category="particulier", on=datetime.date(2027, 1, 1)))
    after = names(activities_allowed_in(municipality=leuven, category="particulier", on=CHANGE_DAY))
    assert before - after == {GRASS}


def test_gemeente_sees_only_its_own_local_extensions(organiser, leuven, herent, activity_list, make_user):
    main = MainActivityFactory(name="Logistieke taken")
    herent_staff = make_user(Role.GEMEENTE, municipality=herent)
    leuven_staff = make_user(Role.GEMEENTE, municipality=leuven)
    local = activity_create(organiser=organiser, municipality=herent, category="vzw", main_activity=main,
                            name="Stoelen klaarzetten", valid_from=CHANGE_DAY, actor=herent_staff)
    assert local in activity_list_for(herent_staff)
    assert local not in activity_list_for(leuven_staff)
    assert activity(organiser, GRASS) in activity_list_for(leuven_staff)


def test_other_organiser_lists_are_separate(organiser, other_organiser, leuven, activity_list, make_user):
    seeded_other = activity_list_seed(organiser=other_organiser)
    assert seeded_other == activity_list.count()
    staff = make_user(Role.BEMIDDELAAR)
    assert not activity_list_for(staff).filter(organiser=other_organiser).exists()
