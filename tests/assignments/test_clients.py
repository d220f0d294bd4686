import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from stdnum.be import ogm_vcs

from assignments.models import Client, ClientStatus, HelpRequest, RegistrationFee, RequestStatus
from assignments.services import (
    client_activate,
    client_contact_add,
    client_register,
    client_sign_agreement,
    client_stop,
    client_update,
    registration_fee_mark_paid,
    registration_fees_open_year,
)
from assignments.tasks import render_client_agreement
from tests.assignments.factories import HelpRequestFactory, activity, client_with_login, valid_kbo
from wijkwerken.accounts.models import Role, User
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NN = "85.07.30-033.28"
BIS = "98 47 28 997 65"


def private(**overrides):
    data = {"category": "particulier", "first_name": "An", "last_name": "Janssens", "national_number": NN,
                "street": "Wijgmaalsesteenweg 10", "postcode": "3020", "city": "Herent", "email": "an@example.test",
                "phone": "0470 12 34 56", "iban": "BE71096123456769", "password": "een-lang-wachtwoord"}
    data.update(overrides)
    return data


def test_online_registration_creates_client_login_fee_and_audit(organiser, herent,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client = client_register(**private())
    assert client.organiser == organiser and client.municipality == herent
    assert client.status == ClientStatus.APPLIED and client.registered_online
    assert client.national_number == "85073003328" and client.iban == "BE71 0961 2345 6769"
    assert client.number >= Client.FIRST_NUMBER
    assert ogm_vcs.is_valid(client.structured_communication)
    display = client.structured_communication_display
    assert display.startswith("+++") and display.endswith("+++")
    user = User.objects.get(email="an@example.test")
    assert user.role == Role.GEBRUIKER and user.organiser == organiser and user.municipality == herent
    assert user.check_password("een-lang-wachtwoord")
    assert client.contacts.get().user == user
    fee = client.fees.get()
    assert fee.year == datetime.date.today().year and fee.amount == Decimal("7.50") and fee.status == "due"
    entry = AuditEntry.objects.for_object(client).get()
    assert entry.action == "client.register" and entry.actor == user and entry.on_behalf_of is None
    render_client_agreement(client.pk)
    client.refresh_from_db()
    assert f"gebruikersovereenkomst-{client.number}" in client.agreement_pdf.name
    assert client.agreement_pdf.read(5) == b"%PDF-"
    old_pdf = client.agreement_pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        client_sign_agreement(client=client, actor=user)
    client.refresh_from_db()
    assert not client.agreement_pdf  # rendered again, with the signing date, on the next download
    assert not default_storage.exists(old_pdf)


def test_online_registration_cannot_claim_ex_pwa(organiser, herent):
    client = client_register(**private(is_ex_pwa=True))
    assert client.is_ex_pwa is False


def test_bis_number_is_accepted(organiser, herent):
    assert client_register(**private(national_number=BIS)).national_number == "98472899765"


def test_numbers_are_unique_and_follow_each_other(organiser, herent):
    first = client_register(**private())
    second = client_register(**private(national_number=BIS, email="b@example.test"))
    assert second.number == first.number + 1
    assert first.structured_communication != second.structured_communication


def test_staff_registration_on_behalf_is_audited_and_mails_a_setup_link(organiser, leuven, bemiddelaar,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client = _register_sportclub(organiser, bemiddelaar)
    assert client.name == "Sportclub Kessel-Lo" and client.municipality == leuven and client.is_ex_pwa
    assert client.registered_by == bemiddelaar and not client.registered_online
    contact = client.contacts.get()
    assert contact.position == "secretaris" and contact.is_primary and not contact.user.has_usable_password()
    entry = AuditEntry.objects.for_object(client).get()
    assert entry.actor == bemiddelaar and entry.on_behalf_of == contact.user
    assert len(mail.outbox) == 1 and "/account/wachtwoord/" in mail.outbox[0].body


def _register_sportclub(organiser, bemiddelaar):
    return client_register(
        category="vzw", organisation_name="Sportclub Kessel-Lo", kbo_number=valid_kbo(3), first_name="Els",
        last_name="Maes", contact_position="secretaris", street="Stadionlaan 1", postcode="3010", city="Kessel-Lo",
        email="els@sportclub.test", is_ex_pwa=True, organiser=organiser, actor=bemiddelaar,
    )


def test_staff_can_register_a_client_without_email(organiser, herent, bemiddelaar):
    client = client_register(**private(email="", password=None, organiser=organiser, actor=bemiddelaar))
    assert not client.contacts.exists()


@pytest.mark.parametrize("overrides, field, code", [
    ({"national_number": "85.07.30-033.29"}, "national_number", "invalid_national_number"),
    ({"postcode": "1000", "city": "Brussel"}, "postcode", "not_flemish"),
    ({"postcode": "2000", "city": "Antwerpen"}, "postcode", "outside_organiser"),
    ({"iban": "BE00 1234"}, "iban", "invalid_iban"),
    ({"password": ""}, "email", "login_required"),
])
def test_bad_private_input_saves_nothing(organiser, herent, other_organiser, overrides, field, code):
    with pytest.raises(ValidationError) as error:
        client_register(**private(**overrides))
    assert error.value.error_dict[field][0].code == code
    assert not Client.objects.exists() and not User.objects.filter(role=Role.GEBRUIKER).exists()


def test_staff_cannot_register_outside_their_organiser(organiser, herent, other_organiser, bemiddelaar):
    with pytest.raises(ValidationError) as error:
        client_register(**private(postcode="9000", city="Gent", organiser=organiser, actor=bemiddelaar))
    assert error.value.error_dict["postcode"][0].code == "outside_organiser"


def test_invalid_kbo_is_refused(organiser, leuven, bemiddelaar):
    with pytest.raises(ValidationError) as error:
        client_register(category="onderwijs", organisation_name="School", kbo_number="0123.456.789",
                        first_name="A", last_name="B", street="X 1", postcode="3000", city="Leuven",
                        organiser=organiser, actor=bemiddelaar)
    assert error.value.error_dict["kbo_number"][0].code == "invalid_kbo"
    assert not Client.objects.exists()


def test_duplicate_registration_is_refused(organiser, herent):
    client_register(**private())
    with pytest.raises(ValidationError) as error:
        client_register(**private(email="other@example.test", national_number="85073003328"))
    assert error.value.error_dict["national_number"][0].code == "duplicate_client"
    assert Client.objects.count() == 1 and not User.objects.filter(email="other@example.test").exists()


def test_duplicate_email_is_refused(organiser, herent):
    client_register(**private())
    with pytest.raises(ValidationError) as error:
        client_register(**private(national_number=BIS))
    assert error.value.error_dict["email"][0].code == "duplicate_email"
    assert Client.objects.count() == 1


def test_sign_pay_activate_stop(organiser, herent, bemiddelaar, activity_list):
    client, user = client_with_login(herent)
    fee = RegistrationFee.objects.create(client=client, year=datetime.date.today().year, amount=Decimal("7.50"))
    with pytest.raises(ValidationError) as error:
        client_activate(client=client, actor=bemiddelaar)
    assert error.value.code == "invalid_transition"
    client = client_sign_agreement(client=client, actor=user)
    assert client.status == ClientStatus.AGREEMENT_SIGNED
    with pytest.raises(ValidationError) as error:
        client_activate(client=client, actor=bemiddelaar)
    assert error.value.code == "fee_due"
    registration_fee_mark_paid(fee=fee, paid_on=datetime.date.today(), actor=bemiddelaar)
    client.refresh_from_db()
    assert client.status == ClientStatus.ACTIVE and client.activated_on == datetime.date.today()
    with pytest.raises(ValidationError) as error:
        registration_fee_mark_paid(fee=fee, paid_on=datetime.date.today(), actor=bemiddelaar)
    assert error.value.code == "already_paid"

    open_request = HelpRequestFactory(client=client, activity=activity(organiser, "Gras maaien"))
    client = client_stop(client=client, reason="Verhuisd", actor=bemiddelaar)
    assert client.status == ClientStatus.STOPPED
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.CANCELLED
    actions = list(AuditEntry.objects.for_object(client).order_by("id").values_list("action", "on_behalf_of"))
    assert actions == [("client.sign", None), ("client.fee_paid", user.pk), ("client.activate", user.pk),
                       ("client.stop", user.pk)]
    with pytest.raises(ValidationError):
        client_sign_agreement(client=client, actor=bemiddelaar)


def test_contact_persons_for_organisations(organiser, leuven, bemiddelaar):
    school, user = client_with_login(leuven, category="onderwijs")
    contact = client_contact_add(client=school, email="Juf@School.test", first_name="Juf", last_name="Lien",
                                 position="directeur", actor=bemiddelaar)
    assert contact.user.email == "juf@school.test" and contact.user.role == Role.GEBRUIKER
    assert not contact.is_primary and school.contacts.count() == 2
    private_client, _ = client_with_login(leuven)
    with pytest.raises(ValidationError) as error:
        client_contact_add(client=private_client, email="x@y.test", first_name="X", last_name="Y",
                           actor=bemiddelaar)
    assert error.value.code == "private_client"


def test_update_keeps_address_in_organiser_and_client_cannot_set_ex_pwa(organiser, leuven, herent, bemiddelaar):
    client, user = client_with_login(leuven)
    client = client_update(client=client, actor=user, street="Nieuwstraat 2", postcode="3020", city="Herent",
                           is_ex_pwa=True)
    assert client.municipality == herent and not client.is_ex_pwa
    with pytest.raises(ValidationError) as error:
        client_update(client=client, actor=user, postcode="2000", city="Antwerpen")
    assert error.value.error_dict["postcode"][0].code == "outside_organiser"
    client.refresh_from_db()
    assert client.postcode == "3020"
    client = client_update(client=client, actor=bemiddelaar, is_ex_pwa=True)
    assert client.is_ex_pwa
    entry = AuditEntry.objects.for_object(client).first()
    assert entry.changes == {"is_ex_pwa": [False, True]} and entry.on_behalf_of == user


def test_open_year_creates_fees_once(organiser, leuven, herent):
    client_a, _ = client_with_login(leuven)
    client_b, _ = client_with_login(herent)
    client_b.status, client_b.stopped_on = ClientStatus.STOPPED, datetime.date(2026, 5, 1)
    client_b.save()
    with time_machine.travel(datetime.date(2027, 1, 1)):
        assert registration_fees_open_year(year=2027) == 1
        assert registration_fees_open_year(year=2027) == 0
    assert client_a.fees.get(year=2027).status == "due"
    assert not client_b.fees.filter(year=2027).exists()


def test_stopped_client_requests_are_cancelled_not_others(organiser, leuven, bemiddelaar, activity_list):
    client, _ = client_with_login(leuven)
    other, _ = client_with_login(leuven)
    grass = activity(organiser, "Gras maaien")
    HelpRequestFactory(client=client, activity=grass)
    kept = HelpRequestFactory(client=other, activity=grass)
    client_stop(client=client, reason="Overleden", actor=bemiddelaar)
    kept.refresh_from_db()
    assert kept.status == RequestStatus.NEW
    assert HelpRequest.objects.filter(status=RequestStatus.CANCELLED).count() == 1
