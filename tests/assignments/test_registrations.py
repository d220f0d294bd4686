"""Online registration reveals nothing: the same answer whether the e-mail address or the national number is
known (the owner gets a mail), a rate limit per address, and a registration with the number of an existing
client waits for a bemiddelaar instead of becoming a second client."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from assignments.models import Client, ClientContact, ClientRegistration, RegistrationStatus
from assignments.services import (
    client_register,
    client_registration_approve,
    client_registration_confirm,
    client_registration_reject,
    client_registration_submit,
    client_registrations_purge_unconfirmed,
)
from tests.accounts.factories import UserFactory
from tests.assignments.factories import ClientFactory, client_with_login, valid_kbo
from wijkwerken.accounts.models import Role, User
from wijkwerken.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db

REGISTER = "/registreren/"
NN = "85.07.30-033.28"
CHOSEN = "Zonnebloem-2026!"


def form_data(**overrides):
    data = {"category": "particulier", "first_name": "An", "last_name": "Janssens", "national_number": NN,
            "street": "Kerkstraat 3", "postcode": "3020", "city": "Herent", "email": "an@example.test",
            "phone": "0470 11 22 33", "iban": "BE71 0961 2345 6769", "password1": CHOSEN, "password2": CHOSEN}
    data.update(overrides)
    return data


def service_data(**overrides):
    data = form_data(**overrides)
    data.pop("password2")
    data["password"] = data.pop("password1")
    return data


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def confirm_link(address: str) -> str:
    """The path of the confirmation link in the last mail to `address`."""
    body = mails_to(address)[-1].body
    return urlsplit(next(word for word in body.split() if "/registreren/bevestigen/" in word)).path


@pytest.fixture(autouse=True)
def _mails_leave(monkeypatch):
    """Mails leave after the commit; the test's transaction never commits, so run them straight away."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda callback, using=None, robust=False: callback())


def submit(client, address="127.0.0.1", **overrides):
    return client.post(REGISTER, form_data(**overrides), REMOTE_ADDR=address)


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b"", content)


# --- the same answer ------------------------------------------------------------------------------------------------

def test_the_answer_is_the_same_whether_the_email_is_known(client, organiser, herent, leuven):
    known = UserFactory(organiser=organiser, role=Role.GEBRUIKER, email="an@example.test")
    first = submit(client, email="AN@example.test")
    second = submit(client, email="new@example.test", national_number="98 47 28 997 65")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("assignments:register_sent")
    assert without_csrf(client.get(first["Location"]).content) == without_csrf(client.get(second["Location"]).content)
    # The owner of the known address is told; nothing is stored for it.
    [owner_mail] = mails_to("an@example.test")
    assert "al een account" in owner_mail.subject and "/account/wachtwoord/vergeten/" in owner_mail.body
    assert not ClientRegistration.objects.filter(email="an@example.test").exists()
    assert AuditEntry.objects.for_object(known).filter(action="account.registration_attempt").exists()
    # The new address gets the link; still no client.
    assert "/registreren/bevestigen/" in mails_to("new@example.test")[-1].body
    assert not Client.objects.exists()


def test_the_answer_is_the_same_whether_the_national_number_is_known(client, organiser, herent):
    existing = ClientFactory(municipality=herent, national_number="85073003328", email="echte.an@example.test")
    first = submit(client, email="someone@example.test")
    second = submit(client, email="other@example.test", national_number="98 47 28 997 65")
    assert first["Location"] == second["Location"] == reverse("assignments:register_sent")
    assert [len(mails_to(a)) for a in ("someone@example.test", "other@example.test")] == [1, 1]
    assert mails_to("someone@example.test")[0].body.replace("someone", "other").split("/registreren/")[0] \
        == mails_to("other@example.test")[0].body.split("/registreren/")[0]
    assert Client.objects.count() == 1 and not mails_to("echte.an@example.test")
    # Only after the link is it held, and the existing client and the staff are told.
    staff = UserFactory(organiser=organiser, role=Role.BEMIDDELAAR)
    response = client.post(confirm_link("someone@example.test"))
    assert response.status_code == 200 and "controleren" in response.content.decode()
    registration = ClientRegistration.objects.get(email="someone@example.test")
    assert registration.status == RegistrationStatus.REVIEW and registration.existing_client == existing
    assert Client.objects.count() == 1 and not User.objects.filter(email="someone@example.test").exists()
    assert "_auth_user_id" not in client.session
    assert mails_to("echte.an@example.test")
    assert Notification.objects.filter(recipient=staff, key=f"registration-review:{registration.pk}").exists()
    assert AuditEntry.objects.for_object(existing).filter(action="client.registration_held").exists()


def test_the_link_makes_the_client_and_logs_in(client, organiser, herent):
    submit(client)
    page = client.get(confirm_link("an@example.test"))
    assert page.status_code == 200 and b"An Janssens" in page.content
    assert not Client.objects.exists()  # a mail scanner following the link confirms nothing
    response = client.post(confirm_link("an@example.test"))
    assert response.status_code == 302 and response["Location"] == "/"
    registered = Client.objects.get()
    user = registered.contacts.get().user
    assert registered.registered_online and registered.national_number == "85073003328"
    assert user.check_password(CHOSEN) and client.session["_auth_user_id"] == str(user.pk)
    assert not ClientRegistration.objects.exists()
    assert AuditEntry.objects.for_object(registered).get().action == "client.register"
    # The link works once.
    client.logout()
    assert client.post(confirm_link("an@example.test")).status_code == 404


def test_a_wrong_or_expired_link_does_nothing(client, organiser, herent):
    assert client.get("/registreren/bevestigen/nonsense/").status_code == 404
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)):
        submit(client)
    with time_machine.travel(datetime.datetime(2026, 3, 4, 10, 1, tzinfo=datetime.UTC)):
        response = client.post(confirm_link("an@example.test"))
    assert response.status_code == 404 and not Client.objects.exists()


def test_bad_input_is_refused_in_dutch_and_stores_nothing(client, organiser, herent):
    response = submit(client, national_number="12345678901")
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["national_number"][0].code == "invalid_national_number"
    assert "geen geldig rijksregisternummer" in response.content.decode()
    response = submit(client, password2="anders-2026!")
    assert response.context["form"].errors.as_data()["password2"][0].code == "password_mismatch"
    response = submit(client, postcode="2000", city="Antwerpen")
    assert response.context["form"].errors.as_data()["postcode"][0].code == "outside_organiser"
    assert not ClientRegistration.objects.exists() and not mail.outbox


def test_the_form_is_rate_limited_per_address(client, organiser, herent):
    for index in range(10):
        response = submit(client, email=f"spam{index}@example.test", address="198.51.100.7")
        assert response.status_code == 302
    response = submit(client, email="spam10@example.test", address="198.51.100.7")
    assert response.status_code == 429
    assert "Te veel inschrijvingen" in response.content.decode()
    assert response.context["form"]["email"].value() == "spam10@example.test"
    assert not mails_to("spam10@example.test")
    assert submit(client, email="elsewhere@example.test", address="192.0.2.1").status_code == 302


# --- the bemiddelaar's check ------------------------------------------------------------------------------------------

@pytest.fixture
def held(organiser, herent):
    """A registration with the national number of a private client registered at the desk without a login."""
    existing = ClientFactory(municipality=herent, national_number="85073003328", email="", phone="", iban="")
    registration = client_registration_submit(**service_data())
    return client_registration_confirm(registration=registration), existing


def test_approve_links_the_login_to_the_existing_client(client, held, bemiddelaar):
    registration, existing = held
    client.force_login(bemiddelaar)
    assert client.get(reverse("assignments:registration_list")).status_code == 200
    page = client.get(reverse("assignments:registration_detail", args=[registration.pk]))
    assert page.status_code == 200 and b"85.07.30-033.28" in page.content
    response = client.post(reverse("assignments:registration_approve", args=[registration.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("assignments:client_detail",
                                                                           args=[existing.pk])
    registration.refresh_from_db()
    existing.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED and registration.password == ""
    assert registration.reviewed_by == bemiddelaar
    login = existing.contacts.get()
    assert login.is_primary and login.user.email == "an@example.test" and login.user.check_password(CHOSEN)
    assert (existing.email, existing.phone, existing.iban) == ("an@example.test", "0470 11 22 33",
                                                               "BE71 0961 2345 6769")
    entry = AuditEntry.objects.for_object(existing).get(action="client.registration_approve")
    assert entry.actor == bemiddelaar and set(entry.changes) == {"email", "phone", "iban"}
    assert Client.objects.count() == 1
    assert mails_to("an@example.test")[-1].subject == "Wijk-werken: uw inschrijving is goedgekeurd"
    client.logout()
    assert client.post("/account/aanmelden/", {"username": "an@example.test", "password": CHOSEN}).status_code == 302


def test_a_private_client_with_a_login_gets_no_second_one(held, bemiddelaar, herent):
    registration, existing = held
    user = UserFactory(organiser=existing.organiser, role=Role.GEBRUIKER, email="old@example.test")
    ClientContact.objects.create(client=existing, user=user, is_primary=True)
    with pytest.raises(Exception) as error:
        client_registration_approve(registration=registration, actor=bemiddelaar)
    assert error.value.code == "client_has_login"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REVIEW
    assert not User.objects.filter(email="an@example.test").exists()


def test_approving_an_organisation_adds_a_contact_person(organiser, leuven, bemiddelaar):
    school, old_login = client_with_login(leuven, category="onderwijs", kbo_number=valid_kbo(7))
    registration = client_registration_submit(**service_data(
        category="onderwijs", organisation_name="Basisschool De Linde", kbo_number=school.kbo_number,
        national_number="", postcode="3000", city="Leuven", email="juf@delinde.test", contact_position="directeur"))
    registration = client_registration_confirm(registration=registration)
    assert registration.status == RegistrationStatus.REVIEW
    client_registration_approve(registration=registration, actor=bemiddelaar)
    contacts = {c.user.email: c for c in school.contacts.select_related("user")}
    assert set(contacts) == {old_login.email, "juf@delinde.test"}
    assert contacts["juf@delinde.test"].position == "directeur" and not contacts["juf@delinde.test"].is_primary


def test_reject_needs_a_reason_and_tells_the_person(client, held, bemiddelaar):
    registration, existing = held
    client.force_login(bemiddelaar)
    url = reverse("assignments:registration_reject", args=[registration.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["reject_form"].errors["reason"]
    response = client.post(url, {"reason": "Dit rijksregisternummer is van iemand anders."})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED and registration.password == ""
    assert "iemand anders" in mails_to("an@example.test")[-1].body
    assert AuditEntry.objects.for_object(existing).filter(action="client.registration_reject").exists()
    with pytest.raises(Exception) as error:
        client_registration_reject(registration=registration, reason="again", actor=bemiddelaar)
    assert error.value.code == "invalid_transition"


def test_the_review_is_scoped_to_the_organiser(client, held, other_organiser, make_user, leuven):
    registration, _existing = held
    stranger = UserFactory(organiser=other_organiser, role=Role.BEMIDDELAAR)
    client.force_login(stranger)
    assert client.get(reverse("assignments:registration_detail", args=[registration.pk])).status_code == 404
    assert client.post(reverse("assignments:registration_approve", args=[registration.pk])).status_code == 404
    client.force_login(make_user(Role.GEMEENTE, municipality=leuven))
    assert client.get(reverse("assignments:registration_list")).status_code == 403


def test_desk_registration_by_staff_still_says_the_number_is_known(organiser, herent, bemiddelaar):
    ClientFactory(municipality=herent, national_number="85073003328")
    with pytest.raises(Exception) as error:
        client_register(category="particulier", first_name="An", last_name="Janssens", national_number=NN,
                        street="Kerkstraat 3", postcode="3020", city="Herent", organiser=organiser,
                        actor=bemiddelaar)
    assert error.value.error_dict["national_number"][0].code == "duplicate_client"


def test_unconfirmed_registrations_are_purged_when_their_link_expired(organiser, herent, held):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)):
        old = client_registration_submit(**service_data(email="old@example.test", national_number="98 47 28 997 65"))
    recent = client_registration_submit(**service_data(email="recent@example.test",
                                                       national_number="98 47 28 997 65"))
    assert client_registrations_purge_unconfirmed() == 1
    assert not ClientRegistration.objects.filter(pk=old.pk).exists()
    assert set(ClientRegistration.objects.values_list("pk", flat=True)) == {recent.pk, held[0].pk}


def test_password_is_kept_hashed_only(organiser, herent):
    registration = client_registration_submit(**service_data())
    assert CHOSEN not in registration.password and registration.password.startswith(("md5$", "pbkdf2"))
