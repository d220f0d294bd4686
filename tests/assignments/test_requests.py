import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assignments.models import HelpRequest, RequestStatus, ScheduleKind
from assignments.selectors import help_requests_for
from assignments.services import activity_restrict, help_request_cancel, help_request_change_status, help_request_create
from tests.assignments.factories import HelpRequestFactory, activity, client_with_login
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_list")]

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


def test_client_asks_for_garden_help_at_own_address(organiser, herent):
    client, user = client_with_login(herent)
    request = help_request_create(client=client, activity=activity(organiser, "Gras maaien"),
                                  description="Voortuin", start_date=TODAY, actor=user)
    assert request.status == RequestStatus.NEW and request.end_date == TODAY
    assert request.street == client.street and request.municipality == herent
    entry = AuditEntry.objects.for_object(request).get()
    assert entry.actor == user and entry.on_behalf_of is None


def test_staff_asks_on_behalf_with_recurring_pattern_at_other_address(organiser, herent, leuven, bemiddelaar):
    client, user = client_with_login(herent)
    request = help_request_create(
        client=client, activity=activity(organiser, "Huistaakbegeleiding"), description="Wiskunde",
        schedule=ScheduleKind.RECURRING, start_date=datetime.date(2027, 1, 4), end_date=datetime.date(2027, 6, 30),
        weekdays=[2, 0, 2], time_from=datetime.time(16), time_until=datetime.time(18),
        hours_per_week=Decimal("4"), street="Naamsestraat 5", postcode="3000", city="Leuven",
        special_needs="Kat in huis", actor=bemiddelaar,
    )
    assert request.weekdays == [0, 2] and request.municipality == leuven
    assert AuditEntry.objects.for_object(request).get().on_behalf_of == user


@pytest.mark.parametrize("name, code", [
    ("Wassen van textiel", "ex_pwa_only"),
    ("Busbegeleiding", "wrong_category"),
])
def test_activity_not_allowed_for_client(organiser, herent, name, code):
    client, user = client_with_login(herent)
    category = "onderwijs" if name == "Busbegeleiding" else "particulier"
    with pytest.raises(ValidationError) as error:
        help_request_create(client=client, activity=activity(organiser, name, category), description="x",
                            start_date=TODAY, actor=user)
    assert error.value.error_dict["activity"][0].code == code
    assert not HelpRequest.objects.exists()


def test_ex_pwa_client_may_ask_for_ex_pwa_activity(organiser, herent):
    client, user = client_with_login(herent, is_ex_pwa=True)
    help_request_create(client=client, activity=activity(organiser, "Wassen van textiel"), description="x",
                        start_date=TODAY, actor=user)


def test_restricted_from_a_date(organiser, leuven, make_user):
    client, user = client_with_login(leuven)
    grass = activity(organiser, "Gras maaien")
    activity_restrict(municipality=leuven, activity=grass, valid_from=datetime.date(2027, 1, 1),
                      actor=make_user(Role.GEMEENTE, municipality=leuven))
    help_request_create(client=client, activity=grass, description="x", start_date=datetime.date(2026, 12, 31),
                        actor=user)
    with pytest.raises(ValidationError) as error:
        help_request_create(client=client, activity=grass, description="x", start_date=datetime.date(2027, 1, 1),
                            actor=user)
    assert error.value.error_dict["activity"][0].code == "restricted_in_municipality"
    # A recurring period that runs into the restriction is refused as well.
    with pytest.raises(ValidationError):
        help_request_create(client=client, activity=grass, description="x", schedule=ScheduleKind.RECURRING,
                            start_date=datetime.date(2026, 12, 1), end_date=datetime.date(2027, 2, 1),
                            weekdays=[0], hours_per_week=Decimal("2"), actor=user)
    assert HelpRequest.objects.count() == 1


def test_bad_shapes(organiser, herent):
    client, user = client_with_login(herent)
    grass = activity(organiser, "Gras maaien")
    with pytest.raises(ValidationError) as error:
        help_request_create(client=client, activity=grass, description="x", start_date=TODAY
                            - datetime.timedelta(days=1), actor=user)
    assert error.value.error_dict["start_date"][0].code == "date_in_past"
    with pytest.raises(ValidationError) as error:
        help_request_create(client=client, activity=grass, description="x", schedule=ScheduleKind.RECURRING,
                            start_date=TODAY, end_date=TODAY + datetime.timedelta(days=30), weekdays=[],
                            hours_per_week=Decimal("2"), actor=user)
    assert error.value.error_dict["weekdays"][0].code == "no_weekdays"
    with pytest.raises(ValidationError) as error:
        help_request_create(client=client, activity=grass, description="x", start_date=TODAY,
                            time_from=datetime.time(12), time_until=datetime.time(10), actor=user)
    assert error.value.error_dict["time_until"][0].code == "times_order"
    with pytest.raises(ValidationError) as error:
        help_request_create(client=client, activity=grass, description="x", start_date=TODAY, street="Meir 1",
                            postcode="2000", city="Antwerpen", actor=user)
    assert error.value.error_dict["postcode"][0].code == "outside_organiser"
    assert not HelpRequest.objects.exists()


def test_status_transitions_and_cancel(organiser, herent, bemiddelaar):
    client, user = client_with_login(herent)
    request = HelpRequestFactory(client=client, activity=activity(organiser, "Gras maaien"))
    request = help_request_change_status(help_request=request, status=RequestStatus.IN_PROGRESS, actor=bemiddelaar)
    with pytest.raises(ValidationError) as error:
        help_request_change_status(help_request=request, status=RequestStatus.CLOSED, actor=bemiddelaar)
    assert error.value.code == "invalid_transition"
    request = help_request_cancel(help_request=request, actor=user, reason="Zelf gedaan")
    assert request.status == RequestStatus.CANCELLED and request.status_note == "Zelf gedaan"
    with pytest.raises(ValidationError):
        help_request_cancel(help_request=request, actor=user)
    assert [e.action for e in AuditEntry.objects.for_object(request).order_by("id")] == [
        "request.in_behandeling", "request.geannuleerd"]


def test_client_cannot_cancel_someone_elses_request(organiser, herent):
    client, _ = client_with_login(herent)
    _, stranger = client_with_login(herent)
    request = HelpRequestFactory(client=client, activity=activity(organiser, "Gras maaien"))
    with pytest.raises(ValidationError) as error:
        help_request_cancel(help_request=request, actor=stranger)
    assert error.value.code == "not_own_request"


def test_assigned_request_cannot_be_cancelled(organiser, herent, bemiddelaar):
    client, user = client_with_login(herent)
    request = HelpRequestFactory(client=client, activity=activity(organiser, "Gras maaien"),
                                 status=RequestStatus.ASSIGNED)
    with pytest.raises(ValidationError):
        help_request_cancel(help_request=request, actor=user)


def test_scoping_of_requests(organiser, leuven, herent, other_organiser, bemiddelaar, make_user):
    mine, me = client_with_login(herent)
    theirs, _ = client_with_login(leuven)
    grass = activity(organiser, "Gras maaien")
    my_request = HelpRequestFactory(client=mine, activity=grass)
    their_request = HelpRequestFactory(client=theirs, activity=grass)
    assert list(help_requests_for(me)) == [my_request]
    assert set(help_requests_for(bemiddelaar)) == {my_request, their_request}
    assert list(help_requests_for(make_user(Role.GEMEENTE, municipality=leuven))) == [their_request]
    outsider = make_user(Role.BEMIDDELAAR, organiser=other_organiser)
    assert not help_requests_for(outsider).exists()


def test_the_client_hears_when_staff_move_the_request_on_but_not_of_its_own_cancel(organiser, herent, bemiddelaar):
    from wijkwerken.core.models import Notification

    client, user = client_with_login(herent)
    request = HelpRequestFactory(client=client, activity=activity(organiser, "Gras maaien"))
    help_request_change_status(help_request=request, status=RequestStatus.IN_PROGRESS, actor=bemiddelaar)
    [note] = Notification.objects.filter(recipient=user)
    assert "Gras maaien" in note.text and "in behandeling" in note.text
    assert note.url == f"/mijn/aanvragen/{request.pk}/"
    help_request_cancel(help_request=request, actor=user, reason="Zelf gedaan")
    assert Notification.objects.filter(recipient=user).count() == 1  # the client cancelled it: no message
    other = HelpRequestFactory(client=client, activity=activity(organiser, "Gras maaien"))
    help_request_cancel(help_request=other, actor=bemiddelaar, reason="Dubbele aanvraag")
    latest = Notification.objects.filter(recipient=user).latest("pk")
    assert "geannuleerd" in latest.text and "Dubbele aanvraag" in latest.text
