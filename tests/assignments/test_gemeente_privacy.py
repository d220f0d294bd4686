"""Municipal staff see the demand in their municipality, but no personal data of wijk-werkers or private clients:
no names, contact details, street addresses, special needs, notes of the organiser or histories that name people.
Staff of the organiser still see all of it on the same pages."""

import datetime

import pytest
from django.urls import reverse

from assignments.models import ClientCategory, RequestStatus
from tests.assignments.factories import ClientFactory, HelpRequestFactory, activity
from tests.assignments.fixtures import make_worker
from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import sees_personal_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_list")]


@pytest.fixture
def assigned_request(client, organiser, leuven, bemiddelaar):
    """A private person's request in Leuven with special needs and a note, assigned through the page a bemiddelaar
    uses (the request's history then says "Toegewezen aan <worker>")."""
    person = ClientFactory(municipality=leuven, first_name="Godelieve", last_name="Mertens", name="Godelieve Mertens",
                           phone="016 23 45 67", street="Naamsestraat 97", email="godelieve@example.test")
    today = datetime.date.today()
    help_request = HelpRequestFactory(
        client=person, activity=activity(organiser, "Gras maaien"), start_date=today + datetime.timedelta(days=3),
        description="Het gras achter mijn huis, ik zit in een rolstoel.", special_needs="Hond in de tuin.")
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=today - datetime.timedelta(days=30),
                         first_name="Sofie", last_name="Janssens", login=False)
    client.force_login(bemiddelaar)
    response = client.post(reverse("assignments:request_detail", args=[help_request.pk]),
                           {"status": RequestStatus.IN_PROGRESS, "note": "Gebeld: best na 14 uur"})
    assert response.status_code == 302
    response = client.post(reverse("assignments:request_assign", args=[help_request.pk, worker.pk]),
                           {"start_date": help_request.start_date.isoformat(),
                            "end_date": help_request.end_date.isoformat()})
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.ASSIGNED and help_request.status_note
    client.logout()
    return help_request


@pytest.fixture
def gemeente_user(make_user, leuven):
    """Fixed names: the page shows the user's own name, and a random one could be the client's ("Godelieve")."""
    return make_user(Role.GEMEENTE, municipality=leuven, first_name="Ruben", last_name="Claes")


PERSONAL = ["Godelieve", "Mertens", "016 23 45 67", "Naamsestraat 97", "godelieve@example.test", "rolstoel",
            "Hond in de tuin", "Gebeld: best na 14 uur", "Sofie Janssens", "Toegewezen aan"]


def test_gemeente_sees_a_private_persons_request_without_personal_data(client, gemeente_user, assigned_request):
    client.force_login(gemeente_user)
    html = client.get(reverse("assignments:request_detail", args=[assigned_request.pk])).content.decode()
    assert [value for value in PERSONAL if value in html] == []
    # What is asked, where (the place, not the street) and for which kind of client.
    assert "Gras maaien" in html and "Particulier" in html and f"{assigned_request.postcode} Leuven" in html


def test_staff_still_see_the_persons_data_and_history(client, bemiddelaar, assigned_request):
    client.force_login(bemiddelaar)
    html = client.get(reverse("assignments:request_detail", args=[assigned_request.pk])).content.decode()
    assert [value for value in PERSONAL if value not in html] == ["godelieve@example.test"]  # e-mail: client page


def test_gemeente_queue_names_organisations_but_no_private_person(client, organiser, leuven, gemeente_user):
    garden = activity(organiser, "Gras maaien")
    person = ClientFactory(municipality=leuven, first_name="Godelieve", last_name="Mertens", name="Godelieve Mertens")
    school = ClientFactory(municipality=leuven, category=ClientCategory.ONDERWIJS, name="Basisschool De Wijsneus")
    HelpRequestFactory(client=person, activity=garden)
    HelpRequestFactory(client=school, activity=activity(organiser, "Busbegeleiding", category=ClientCategory.ONDERWIJS))
    client.force_login(gemeente_user)
    for response in (client.get(reverse("assignments:request_queue")),
                     client.get(reverse("assignments:request_queue"), headers={"HX-Request": "true"})):
        html = response.content.decode()
        assert "Basisschool De Wijsneus" in html and "Mertens" not in html and "Godelieve" not in html


def test_municipal_accounts_are_only_the_municipalitys_staff(client, beheerder, make_user, leuven):
    official = make_user(Role.GEMEENTE, municipality=leuven, first_name="Geert", last_name="Van Leuven")
    make_user(Role.GEBRUIKER, municipality=leuven, first_name="Maria", last_name="Peeters")
    make_user(Role.WIJKWERKER, municipality=leuven, first_name="Karim", last_name="Benali")
    client.force_login(beheerder)
    response = client.get(reverse("core:municipality_detail", args=[leuven.pk]))
    assert list(response.context["accounts"]) == [official]
    html = response.content.decode()
    assert "Geert Van Leuven" in html and "Maria Peeters" not in html and "Karim Benali" not in html


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_only_municipal_staff_are_kept_from_personal_data(make_user, leuven, role):
    assert sees_personal_data(make_user(role, municipality=leuven)) is (role != Role.GEMEENTE)
