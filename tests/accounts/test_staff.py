import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from wijkwerken.accounts.models import Role, User
from wijkwerken.accounts.services import staff_account_create, staff_account_update
from wijkwerken.core.models import AuditEntry, Municipality

pytestmark = pytest.mark.django_db


def test_beheerder_creates_an_account_and_a_password_mail_is_sent(client, beheerder, leuven,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/personeel/nieuw/", {
            "email": "Nieuw@Gemeente.be", "first_name": "Nina", "last_name": "Nieuw", "role": Role.GEMEENTE,
            "municipality": leuven.pk, "phone": "",
        })
    account = User.objects.get(email="nieuw@gemeente.be")
    assert response.status_code == 302
    assert account.organiser == beheerder.organiser and account.municipality == leuven
    assert not account.has_usable_password()
    assert mail.outbox[0].to == ["nieuw@gemeente.be"]
    assert "/account/wachtwoord/nieuw/" in mail.outbox[0].body
    assert AuditEntry.objects.for_object(account).get().action == "account.create"


def test_municipal_staff_needs_a_municipality(beheerder):
    with pytest.raises(ValidationError) as error:
        staff_account_create(organiser=beheerder.organiser, email="g@x.be", first_name="G", last_name="X",
                             role=Role.GEMEENTE, actor=beheerder)
    assert error.value.error_dict["municipality"][0].code == "no_municipality"
    assert not User.objects.filter(email="g@x.be").exists()


def test_municipality_of_another_organiser_is_refused(beheerder, other_organiser):
    gent = Municipality.objects.get(organiser=other_organiser)
    with pytest.raises(ValidationError) as error:
        staff_account_create(organiser=beheerder.organiser, email="g@x.be", first_name="G", last_name="X",
                             role=Role.GEMEENTE, municipality=gent, actor=beheerder)
    assert error.value.error_dict["municipality"][0].code == "foreign_municipality"


def test_client_role_is_not_a_staff_role(beheerder):
    with pytest.raises(ValidationError):
        staff_account_create(organiser=beheerder.organiser, email="g@x.be", first_name="G", last_name="X",
                             role=Role.GEBRUIKER, actor=beheerder)


def test_duplicate_email_is_refused_in_the_form(client, beheerder, bemiddelaar):
    client.force_login(beheerder)
    response = client.post("/account/personeel/nieuw/", {
        "email": bemiddelaar.email, "first_name": "A", "last_name": "B", "role": Role.BEMIDDELAAR,
    })
    assert response.status_code == 200
    assert "Er bestaat al een account met dit e-mailadres." in response.content.decode()


def test_beheerder_cannot_lock_themselves_out(beheerder):
    with pytest.raises(ValidationError) as error:
        staff_account_update(user=beheerder, actor=beheerder, is_active=False)
    assert error.value.code == "self_lockout"
    beheerder.refresh_from_db()
    assert beheerder.is_active


def test_role_change_is_audited(beheerder, bemiddelaar):
    staff_account_update(user=bemiddelaar, actor=beheerder, role=Role.WERKCOACH)
    entry = AuditEntry.objects.for_object(bemiddelaar).get()
    assert entry.changes == {"role": ["bemiddelaar", "werkcoach"]}


def test_deactivated_account_cannot_log_in(client, beheerder, bemiddelaar):
    from tests.accounts.factories import PASSWORD

    staff_account_update(user=bemiddelaar, actor=beheerder, is_active=False)
    response = client.post("/account/aanmelden/", {"username": bemiddelaar.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
