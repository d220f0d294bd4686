import datetime
from decimal import Decimal

import pytest
import time_machine

from wijkwerken.accounts.models import Role
from wijkwerken.core.models import AuditEntry, ChequePrice, Municipality, Organiser, RuleSet

pytestmark = pytest.mark.django_db

ORGANISER_FORM = {
    "name": "Wijk-werken Dijleland", "street": "Diestsevest 32", "postcode": "3000", "city": "Leuven",
    "kbo_number": "0765432146", "iban": "be71096123456769", "bic": "GKCCBEBB", "email": "info@dijleland.be",
    "phone": "",
}


def test_organiser_settings_are_normalised_and_audited(client, beheerder):
    client.force_login(beheerder)
    response = client.post("/organisatie/", ORGANISER_FORM)
    assert response.status_code == 302
    organiser = Organiser.objects.get(pk=beheerder.organiser_id)
    assert organiser.kbo_number == "0765.432.146"
    assert organiser.iban == "BE71 0961 2345 6769"
    assert AuditEntry.objects.for_object(organiser).get().action == "organiser.update"


@pytest.mark.parametrize("field,value,message", [
    ("kbo_number", "0765.432.147", "Dit is geen geldig ondernemingsnummer (KBO)"),
    ("iban", "BE68 5390 0754 7035", "Dit is geen geldig IBAN-nummer"),
    ("bic", "XX", "Dit is geen geldige BIC"),
    ("postcode", "3A00", "Een postcode heeft 4 cijfers"),
])
def test_invalid_organiser_data_gives_a_dutch_field_error_and_saves_nothing(client, beheerder, field, value,
                                                                           message):
    client.force_login(beheerder)
    before = Organiser.objects.get(pk=beheerder.organiser_id).__dict__.copy()
    response = client.post("/organisatie/", {**ORGANISER_FORM, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    after = Organiser.objects.get(pk=beheerder.organiser_id).__dict__
    assert {k: v for k, v in after.items() if k != "_state"} == {k: v for k, v in before.items() if k != "_state"}
    assert not AuditEntry.objects.exclude(action="account.login").exists()  # logging in is audited, nothing else


def test_beheerder_adds_a_municipality_by_nis_code(client, beheerder):
    client.force_login(beheerder)
    response = client.post("/gemeenten/toevoegen/", {"nis_code": "24009 Bertem"})
    assert response.status_code == 302
    assert Municipality.objects.get(nis_code="24009").organiser_id == beheerder.organiser_id


@pytest.mark.parametrize("value,message", [
    ("99999", "99999 is geen NIS-code van een Vlaamse gemeente."),
    ("21004", "21004 is geen NIS-code van een Vlaamse gemeente."),  # Brussels
    ("2406", "Een NIS-code heeft 5 cijfers."),
    ("Parijs", "Kies een gemeente uit de lijst"),
])
def test_invalid_nis_code_is_refused(client, beheerder, value, message):
    client.force_login(beheerder)
    response = client.post("/gemeenten/toevoegen/", {"nis_code": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Municipality.objects.filter(organiser_id=beheerder.organiser_id).exists()


def test_municipality_of_another_organiser_cannot_be_taken(client, beheerder, other_organiser):
    client.force_login(beheerder)
    response = client.post("/gemeenten/toevoegen/", {"nis_code": "44021"})
    assert "hoort al bij een andere wijk-werkorganisatie" in response.content.decode()
    assert Municipality.objects.get(nis_code="44021").organiser == other_organiser


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False)
def test_price_form_refuses_a_price_outside_the_steps(client, beheerder, leuven):
    client.force_login(beheerder)
    response = client.post(f"/gemeenten/{leuven.pk}/prijs/", {"price": "6.00", "decided_on": "2026-11-20"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not ChequePrice.objects.exists()


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False)
def test_price_form_records_a_decision_for_next_year(client, beheerder, leuven):
    client.force_login(beheerder)
    response = client.post(f"/gemeenten/{leuven.pk}/prijs/", {"price": "6.45", "decided_on": "2026-11-20"},
                           follow=True)
    assert "De nieuwe prijs van € 6,45 geldt vanaf 01/01/2027." in response.content.decode()
    assert ChequePrice.objects.get().valid_from == datetime.date(2027, 1, 1)


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False)
def test_rule_set_form_creates_a_new_version(client, beheerder, organiser):
    client.force_login(beheerder)
    form = client.get("/regels/nieuw/").context["form"]
    data = {name: form.initial[name] for name in RuleSet.RULE_FIELDS}
    data.update(valid_from="2027-01-01", note="Samenlevingsjobs", max_hours_per_month=50)
    response = client.post("/regels/nieuw/", data)
    assert response.status_code == 302
    new = RuleSet.objects.get(organiser=organiser, valid_from=datetime.date(2027, 1, 1))
    assert new.max_hours_per_month == 50 and new.worker_allowance_per_cheque == Decimal("4.10")


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False)
def test_rule_set_form_refuses_a_start_in_the_past(client, beheerder, organiser):
    client.force_login(beheerder)
    form = client.get("/regels/nieuw/").context["form"]
    data = {name: form.initial[name] for name in RuleSet.RULE_FIELDS}
    data.update(valid_from="2026-01-01", note="Te laat")
    response = client.post("/regels/nieuw/", data)
    assert response.status_code == 200
    assert "Nieuwe regels starten vandaag of later" in response.content.decode()
    assert RuleSet.objects.filter(organiser=organiser).count() == 1


# --- scoping: someone else's object is a 404; the wrong role is a 403 -----------------------------------

def test_municipality_of_another_organiser_is_a_404(client, beheerder, other_organiser):
    client.force_login(beheerder)
    gent = Municipality.objects.get(organiser=other_organiser)
    assert client.get(f"/gemeenten/{gent.pk}/").status_code == 404
    assert client.post(f"/gemeenten/{gent.pk}/prijs/", {"price": "6.45", "decided_on": "2026-01-01"}).status_code == 404
    assert client.post(f"/gemeenten/{gent.pk}/verwijderen/").status_code == 404


def test_rule_set_of_another_organiser_is_a_404(client, beheerder, other_organiser):
    client.force_login(beheerder)
    other_rules = RuleSet.objects.get(organiser=other_organiser)
    assert client.get(f"/regels/{other_rules.pk}/").status_code == 404


def test_staff_account_of_another_organiser_is_a_404(client, beheerder, other_organiser):
    from tests.accounts.factories import UserFactory

    stranger = UserFactory(organiser=other_organiser, role=Role.BEMIDDELAAR)
    client.force_login(beheerder)
    assert client.get(f"/account/personeel/{stranger.pk}/").status_code == 404
    assert stranger.email not in client.get("/account/personeel/").content.decode()


def test_other_organisers_municipalities_are_not_listed(client, bemiddelaar, leuven, other_organiser):
    client.force_login(bemiddelaar)
    body = client.get("/gemeenten/").content.decode()
    assert "Leuven" in body and "Gent" not in body


@pytest.mark.parametrize("role,url,status", [
    (Role.BEMIDDELAAR, "/organisatie/", 403),
    (Role.BEMIDDELAAR, "/account/personeel/", 403),
    (Role.BEMIDDELAAR, "/regels/nieuw/", 403),
    (Role.WERKCOACH, "/gemeenten/", 403),
    (Role.GEBRUIKER, "/regels/", 403),
    (Role.WIJKWERKER, "/gemeenten/", 403),
    (Role.BEMIDDELAAR, "/regels/", 200),
    (Role.WERKCOACH, "/regels/", 200),
])
def test_role_permissions(client, make_user, role, url, status):
    client.force_login(make_user(role))
    assert client.get(url).status_code == status


def test_gemeente_sees_only_its_own_municipality(client, gemeente_user, herent):
    client.force_login(gemeente_user)
    body = client.get("/").content.decode()
    assert "Wijk-werken in Leuven" in body
    assert "Herent" not in body
    assert client.get(f"/gemeenten/{herent.pk}/").status_code == 403


def test_403_and_404_pages_are_dutch(client, bemiddelaar):
    client.force_login(bemiddelaar)
    assert "U hebt geen toegang tot deze pagina" in client.get("/organisatie/").content.decode()
    assert "Pagina niet gevonden" in client.get("/bestaat-niet/").content.decode()


def test_health_endpoint(client, db):
    response = client.get("/gezond/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_rule_form_groups_show_every_rule_once():
    from wijkwerken.core.forms import RuleSetForm

    grouped = [name for _title, names in RuleSetForm.GROUPS for name in names]
    assert sorted(grouped) == sorted(RuleSet.RULE_FIELDS)


def test_municipality_list_queries_do_not_grow_with_municipalities(client, beheerder, leuven, organiser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.core.factories import municipality_for

    organiser.lowest_price_applies = True
    organiser.save()
    client.force_login(beheerder)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/gemeenten/").status_code == 200
        return len(context.captured_queries)

    few = queries()
    for nis_code in ("24038", "24009", "24055", "24086"):
        municipality_for(organiser, nis_code)
    assert queries() == few
