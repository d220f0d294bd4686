"""Staff correct who a client is: name, category and national or enterprise number, always with a reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from assignments.models import Client, ClientCategory, ClientContact, RequestStatus
from assignments.services import client_identity_correct
from tests.accounts.factories import UserFactory
from tests.assignments.factories import (
    ClientFactory,
    HelpRequestFactory,
    activity,
    client_with_login,
    valid_kbo,
)
from tests.assignments.fixtures import make_assignment, make_worker
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NN = "85.07.30-033.28"
BIS = "98 47 28 997 65"


def error_codes(excinfo) -> dict:
    """{field: [codes]} of a raised ValidationError (None for errors about the whole client)."""
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return {None: [e.code for e in error.error_list]}


def snapshot(client: Client) -> dict:
    client.refresh_from_db()
    return {name: getattr(client, name) for name in ("category", "name", "first_name", "last_name",
                                                      "national_number", "kbo_number")}


# --- service: happy paths -------------------------------------------------------------------------------------

def test_private_person_name_and_number_corrected_with_audit(herent, bemiddelaar):
    client = ClientFactory(municipality=herent, first_name="Jna", last_name="Peters")
    old_number = client.national_number
    corrected = client_identity_correct(client=client, actor=bemiddelaar, reason="Typfout bij inschrijving",
                                        first_name="Jan", last_name="Peeters", national_number=NN)
    client.refresh_from_db()
    assert (client.first_name, client.last_name, client.name) == ("Jan", "Peeters", "Jan Peeters")
    assert client.national_number == "85073003328" and corrected.national_number == "85073003328"
    entry = AuditEntry.objects.for_object(client).get()
    assert entry.action == "client.identity_correct" and entry.actor == bemiddelaar
    assert entry.on_behalf_of is None
    assert "Typfout bij inschrijving" in entry.summary
    assert entry.changes["first_name"] == ["Jna", "Jan"]
    assert entry.changes["name"] == ["Jna Peters", "Jan Peeters"]
    # The history shows that the number changed (check digits only), never the number itself.
    assert entry.changes["national_number"] == [f"••.••.••-•••.{old_number[-2:]}", "••.••.••-•••.28"]
    assert "85073003328" not in str(entry.changes)


def test_bis_number_accepted(herent, beheerder):
    client = ClientFactory(municipality=herent)
    client_identity_correct(client=client, actor=beheerder, reason="BIS-nummer", national_number=BIS)
    client.refresh_from_db()
    assert client.national_number == "98472899765"


def test_organisation_name_kbo_and_category_corrected(herent, bemiddelaar):
    client = ClientFactory(municipality=herent, category=ClientCategory.VZW)
    new_kbo = valid_kbo(4242)
    client_identity_correct(client=client, actor=bemiddelaar, reason="Is een school, geen vzw",
                            category=ClientCategory.ONDERWIJS, name="Sint-Jozefsschool",
                            kbo_number=new_kbo.replace(".", ""))
    client.refresh_from_db()
    assert client.category == ClientCategory.ONDERWIJS and client.name == "Sint-Jozefsschool"
    assert client.kbo_number == new_kbo  # stored as 0123.456.789
    entry = AuditEntry.objects.for_object(client).get()
    assert entry.changes["category"] == ["vzw", "onderwijs"] and entry.changes["kbo_number"][1] == new_kbo


def test_private_person_becomes_organisation(herent, bemiddelaar):
    client, _user = client_with_login(herent)
    kbo = valid_kbo(77)
    client_identity_correct(client=client, actor=bemiddelaar, reason="Is een landbouwbedrijf",
                            category=ClientCategory.LAND_TUINBOUW, name="Hoeve De Linde", kbo_number=kbo,
                            first_name=client.first_name, last_name=client.last_name,
                            national_number=client.national_number)
    client.refresh_from_db()
    assert client.category == ClientCategory.LAND_TUINBOUW and client.name == "Hoeve De Linde"
    assert client.kbo_number == kbo
    assert client.national_number == "" and client.first_name == "" and client.last_name == ""


def test_organisation_becomes_private_person(herent, bemiddelaar):
    client = ClientFactory(municipality=herent, category=ClientCategory.VZW)
    client_identity_correct(client=client, actor=bemiddelaar, reason="Particulier, geen vzw",
                            category=ClientCategory.PARTICULIER, first_name="Els", last_name="Wouters",
                            national_number=NN, kbo_number=client.kbo_number)
    client.refresh_from_db()
    assert client.is_private and client.name == "Els Wouters" and client.national_number == "85073003328"
    assert client.kbo_number == ""


def test_stored_agreement_is_rendered_again(herent, bemiddelaar, django_capture_on_commit_callbacks):
    client = ClientFactory(municipality=herent)
    client.agreement_pdf.save("agreement-test.pdf", ContentFile(b"%PDF-old"))
    with django_capture_on_commit_callbacks(execute=True):
        client_identity_correct(client=client, actor=bemiddelaar, reason="Naam", first_name="Piet")
    client.refresh_from_db()
    assert not client.agreement_pdf


# --- service: refusals ----------------------------------------------------------------------------------------

def test_gebruiker_cannot_correct_its_own_identity(herent):
    client, user = client_with_login(herent)
    before = snapshot(client)
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=user, reason="Ik heet anders", first_name="Piet")
    assert error_codes(excinfo) == {None: ["not_allowed"]}
    assert snapshot(client) == before


@pytest.mark.parametrize("role", [Role.WERKCOACH, Role.GEMEENTE])
def test_other_staff_roles_are_refused(herent, make_user, role):
    client = ClientFactory(municipality=herent)
    actor = make_user(role, municipality=herent)
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=actor, reason="Typfout", first_name="Piet")
    assert error_codes(excinfo) == {None: ["not_allowed"]}


def test_staff_of_another_organiser_is_refused(herent, other_organiser, make_user):
    client = ClientFactory(municipality=herent)
    outsider = make_user(Role.BEMIDDELAAR, organiser=other_organiser)
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=outsider, reason="Typfout", first_name="Piet")
    assert error_codes(excinfo) == {None: ["foreign_organiser"]}


@pytest.mark.parametrize("reason", ["", "   "])
def test_reason_is_required(herent, bemiddelaar, reason):
    client = ClientFactory(municipality=herent)
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=bemiddelaar, reason=reason, first_name="Piet")
    assert error_codes(excinfo) == {"reason": ["reason_required"]}


def test_nothing_changed_is_refused(herent, bemiddelaar):
    client = ClientFactory(municipality=herent)
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=bemiddelaar, reason="Nazicht",
                                first_name=client.first_name, national_number=client.national_number_display)
    assert error_codes(excinfo) == {None: ["no_changes"]}
    assert not AuditEntry.objects.for_object(client).exists()


@pytest.mark.parametrize(("fields", "expected"), [
    ({"national_number": "85.07.30-033.29"}, {"national_number": ["invalid_national_number"]}),
    ({"national_number": ""}, {"national_number": ["national_number_required"]}),
    ({"first_name": ""}, {"last_name": ["name_required"]}),
    ({"category": "bedrijf"}, {"category": ["invalid_category"]}),
    # A private person becoming an organisation needs the organisation's name and enterprise number.
    ({"category": "vzw", "name": "VZW De Brug"}, {"kbo_number": ["kbo_required"]}),
    ({"category": "vzw", "name": "", "kbo_number": "0403.170.701"}, {"name": ["name_required"]}),
])
def test_private_person_invalid_identity_is_refused(herent, bemiddelaar, fields, expected):
    client = ClientFactory(municipality=herent)
    before = snapshot(client)
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=bemiddelaar, reason="Correctie", **fields)
    assert error_codes(excinfo) == expected
    assert snapshot(client) == before
    assert not AuditEntry.objects.for_object(client).exists()


@pytest.mark.parametrize(("fields", "expected"), [
    ({"kbo_number": "0403.170.702"}, {"kbo_number": ["invalid_kbo"]}),
    ({"kbo_number": ""}, {"kbo_number": ["kbo_required"]}),
    ({"name": "  "}, {"name": ["name_required"]}),
    # An organisation becoming a private person needs the person's name and national register number.
    ({"category": "particulier", "first_name": "Els", "last_name": "Wouters"},
     {"national_number": ["national_number_required"]}),
])
def test_organisation_invalid_identity_is_refused(herent, bemiddelaar, fields, expected):
    client = ClientFactory(municipality=herent, category=ClientCategory.ONDERWIJS)
    before = snapshot(client)
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=bemiddelaar, reason="Correctie", **fields)
    assert error_codes(excinfo) == expected
    assert snapshot(client) == before


def test_duplicate_national_number_refused_and_nothing_changed(herent, leuven, bemiddelaar):
    other = ClientFactory(municipality=leuven)
    client = ClientFactory(municipality=herent)
    before = snapshot(client)
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=bemiddelaar, reason="Correctie", first_name="Piet",
                                national_number=other.national_number_display)
    assert error_codes(excinfo) == {"national_number": ["duplicate_client"]}
    assert snapshot(client) == before
    assert not AuditEntry.objects.for_object(client).exists()


def test_duplicate_kbo_refused_also_on_a_category_change(herent, bemiddelaar):
    school = ClientFactory(municipality=herent, category=ClientCategory.ONDERWIJS)
    client = ClientFactory(municipality=herent)
    before = snapshot(client)
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=bemiddelaar, reason="Is een vzw", category="vzw",
                                name="VZW De Brug", kbo_number=school.kbo_number.replace(".", " "))
    assert error_codes(excinfo) == {"kbo_number": ["duplicate_client"]}
    assert snapshot(client) == before


def test_same_number_at_another_organiser_is_no_duplicate(herent, other_organiser, bemiddelaar):
    elsewhere = ClientFactory(municipality=other_organiser.municipalities.get())
    client = ClientFactory(municipality=herent)
    client_identity_correct(client=client, actor=bemiddelaar, reason="Correctie",
                            national_number=elsewhere.national_number)
    client.refresh_from_db()
    assert client.national_number == elsewhere.national_number


def test_category_change_refused_with_open_requests(organiser, herent, bemiddelaar, activity_list):
    client = ClientFactory(municipality=herent)
    HelpRequestFactory(client=client, activity=activity(organiser, "Gras maaien"))
    HelpRequestFactory(client=client, activity=activity(organiser, "Gras maaien"), status=RequestStatus.CANCELLED)
    before = snapshot(client)
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=bemiddelaar, reason="Is een vzw", category="vzw",
                                name="VZW De Brug", kbo_number=valid_kbo(5))
    assert error_codes(excinfo) == {"category": ["open_requests"]}
    assert "1" in excinfo.value.messages[0]
    assert snapshot(client) == before
    # Without a category change the open request is no obstacle.
    client_identity_correct(client=client, actor=bemiddelaar, reason="Typfout", first_name="Piet")


def test_category_change_refused_with_a_running_assignment(organiser, herent, bemiddelaar):
    worker = make_worker(organiser, herent, bemiddelaar, trajectory_start=today())
    client, _user = client_with_login(herent)
    make_assignment(organiser, herent, bemiddelaar, worker, client=client, start=today(),
                    end=today() + datetime.timedelta(days=30))
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=bemiddelaar, reason="Is een vzw", category="vzw",
                                name="VZW De Brug", kbo_number=valid_kbo(6))
    assert error_codes(excinfo) == {"category": ["running_assignments"]}


def test_organisation_with_several_logins_cannot_become_a_private_person(herent, bemiddelaar):
    client = ClientFactory(municipality=herent, category=ClientCategory.VZW)
    for n in range(2):
        ClientContact.objects.create(client=client, is_primary=n == 0, user=UserFactory(
            role=Role.GEBRUIKER, organiser=client.organiser, email=f"contact{n}@example.test"))
    with pytest.raises(ValidationError) as excinfo:
        client_identity_correct(client=client, actor=bemiddelaar, reason="Particulier", category="particulier",
                                first_name="Els", last_name="Wouters", national_number=NN)
    assert error_codes(excinfo) == {"category": ["several_contacts"]}


def test_unknown_field_is_a_programming_error(herent, bemiddelaar):
    client = ClientFactory(municipality=herent)
    with pytest.raises(TypeError):
        client_identity_correct(client=client, actor=bemiddelaar, reason="x", street="Elders 1")


# --- the page ---------------------------------------------------------------------------------------------

def identity_data(client: Client, **overrides) -> dict:
    data = {"category": client.category, "name": "" if client.is_private else client.name,
            "first_name": client.first_name, "last_name": client.last_name,
            "national_number": client.national_number_display, "kbo_number": client.kbo_number,
            "reason": "Typfout bij de inschrijving"}
    data.update(overrides)
    return data


def test_page_is_reached_from_the_client_page_and_corrects(client, herent, bemiddelaar):
    customer = ClientFactory(municipality=herent, first_name="Jna")
    client.force_login(bemiddelaar)
    url = reverse("assignments:client_identity", args=[customer.pk])
    assert url in client.get(reverse("assignments:client_detail", args=[customer.pk])).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["first_name"].value() == "Jna"
    assert page.context["form"]["national_number"].value() == customer.national_number_display
    response = client.post(url, identity_data(customer, first_name="Jan"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assignments:client_detail", args=[customer.pk])
    html = response.content.decode()
    assert "gecorrigeerd" in html  # the Dutch success message
    assert "Typfout bij de inschrijving" in html  # the history panel shows the correction and its reason
    customer.refresh_from_db()
    assert customer.first_name == "Jan" and customer.name == f"Jan {customer.last_name}"


def test_beheerder_corrects_an_organisation(client, herent, beheerder):
    school = ClientFactory(municipality=herent, category=ClientCategory.ONDERWIJS)
    client.force_login(beheerder)
    new_kbo = valid_kbo(99)
    response = client.post(reverse("assignments:client_identity", args=[school.pk]),
                           identity_data(school, name="GO! Atheneum", kbo_number=f" {new_kbo} "))
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "GO! Atheneum" and school.kbo_number == new_kbo


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("national_number", "85.07.30-033.29", "geen geldig rijksregisternummer"),  # wrong check digits
    ("national_number", "85 07 30 033", "geen geldig rijksregisternummer"),  # too short, with spaces
    ("national_number", "", "rijksregisternummer of BIS-nummer nodig"),
])
def test_bad_national_number_gives_a_dutch_message_and_changes_nothing(client, herent, bemiddelaar, field,
                                                                       typed, message):
    customer = ClientFactory(municipality=herent)
    before = snapshot(customer)
    client.force_login(bemiddelaar)
    response = client.post(reverse("assignments:client_identity", args=[customer.pk]),
                           identity_data(customer, **{field: typed}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert snapshot(customer) == before
    assert not AuditEntry.objects.for_object(customer).exists()


@pytest.mark.parametrize(("typed", "message"), [
    ("0403.170.702", "geen geldig ondernemingsnummer"),  # wrong check digits, with dots
    ("BE 0403 170", "geen geldig ondernemingsnummer"),  # too short, with spaces
])
def test_bad_kbo_gives_a_dutch_message_and_changes_nothing(client, herent, bemiddelaar, typed, message):
    customer = ClientFactory(municipality=herent, category=ClientCategory.VZW)
    before = snapshot(customer)
    client.force_login(bemiddelaar)
    response = client.post(reverse("assignments:client_identity", args=[customer.pk]),
                           identity_data(customer, kbo_number=typed))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["kbo_number"])
    assert snapshot(customer) == before


def test_missing_reason_and_duplicate_are_shown_on_the_form(client, herent, bemiddelaar):
    other = ClientFactory(municipality=herent)
    customer = ClientFactory(municipality=herent)
    client.force_login(bemiddelaar)
    url = reverse("assignments:client_identity", args=[customer.pk])
    response = client.post(url, identity_data(customer, first_name="Piet", reason=""))
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    response = client.post(url, identity_data(customer, national_number=other.national_number))
    assert "al een andere gebruiker" in " ".join(response.context["form"].errors["national_number"])
    response = client.post(url, identity_data(customer))
    assert "Er werd niets gewijzigd" in response.content.decode()
    customer.refresh_from_db()
    assert customer.national_number != other.national_number


def test_gebruiker_is_refused(client, herent):
    customer, user = client_with_login(herent)
    client.force_login(user)
    url = reverse("assignments:client_identity", args=[customer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, identity_data(customer, first_name="Piet")).status_code == 403
    customer.refresh_from_db()
    assert customer.first_name == "Jan"


@pytest.mark.parametrize("role", [Role.WERKCOACH, Role.GEMEENTE])
def test_other_roles_are_refused(client, herent, make_user, role):
    customer = ClientFactory(municipality=herent)
    client.force_login(make_user(role, municipality=herent))
    assert client.get(reverse("assignments:client_identity", args=[customer.pk])).status_code == 403


def test_client_of_another_organiser_is_404(client, herent, other_organiser, make_user):
    customer = ClientFactory(municipality=herent)
    client.force_login(make_user(Role.BEMIDDELAAR, organiser=other_organiser))
    url = reverse("assignments:client_identity", args=[customer.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, identity_data(customer, first_name="Piet")).status_code == 404
    customer.refresh_from_db()
    assert customer.first_name == "Jan"

