import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from wijkwerken.core.audit import audit_log
from wijkwerken.core.models import AuditEntry
from wijkwerken.core.selectors import audit_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(organiser, beheerder):
    return audit_log(actor=beheerder, action="organiser.update", summary="Instellingen gewijzigd", obj=organiser,
                     changes={"name": ["Oud", "Nieuw"]})


def test_entry_records_actor_object_and_changes(entry, organiser, beheerder):
    assert entry.organiser == organiser
    assert entry.actor == beheerder
    assert entry.object_repr == str(organiser)
    assert list(audit_history(organiser)) == [entry]


def test_model_refuses_to_change_an_entry(entry):
    entry.summary = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()


def test_model_refuses_to_delete_an_entry(entry):
    with pytest.raises(PermissionError):
        entry.delete()


def test_queryset_refuses_bulk_update_and_delete(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.parametrize("statement", [
    "UPDATE core_auditentry SET summary = 'x' WHERE id = %s",
    "DELETE FROM core_auditentry WHERE id = %s",
])
def test_database_refuses_raw_update_and_delete(entry, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])
    entry_again = AuditEntry.objects.get(pk=entry.pk)
    assert entry_again.summary == "Instellingen gewijzigd"


def test_on_behalf_of_is_shown_in_history(client, organiser, beheerder, make_user):
    from wijkwerken.accounts.models import Role

    customer = make_user(Role.GEBRUIKER)
    audit_log(actor=beheerder, on_behalf_of=customer, action="organiser.update", summary="Iets", obj=organiser)
    client.force_login(beheerder)
    response = client.get("/organisatie/")
    assert f"ingevoerd door {beheerder} voor {customer}" in response.content.decode()


def test_history_shows_field_labels_and_plain_values_as_they_were_recorded(organiser, beheerder):
    audit_log(actor=beheerder, action="organiser.update", summary="x", obj=organiser,
              changes={"name": ["Oud", "Nieuw"], "iban": [None, "BE71096123456769"], "amount": "59.50",
                       "serials": ["E1", "E2", "E3"], "active": True, "status": "betaald"})
    [entry] = audit_history(organiser)
    with translation.override("nl"):
        rows = {row["label"]: row for row in entry.change_rows()}
    assert rows["Naam"]["old"] == "Oud" and rows["Naam"]["new"] == "Nieuw" and rows["Naam"]["has_old"]
    assert not rows["IBAN"]["has_old"] and rows["IBAN"]["new"] == "BE71096123456769"
    # Not a pair: the value itself, never its first and second character.
    assert rows["Bedrag"] == {"label": "Bedrag", "old": "—", "new": "59.50", "has_old": False}
    assert rows["Serienummers"]["new"] == "E1, E2, E3" and rows["Active"]["new"] == "ja"


def test_history_panel_renders_the_rows(client, organiser, beheerder):
    audit_log(actor=beheerder, action="organiser.update", summary="Instellingen gewijzigd", obj=organiser,
              changes={"name": ["Oud", "Nieuw"], "amount": "59.50"})
    client.force_login(beheerder)
    page = client.get("/organisatie/").content.decode()
    assert "Oud → Nieuw" in page and "59.50" in page and "5 → 9" not in page


def test_history_shows_the_label_of_a_choice(leuven):
    from tests.assignments.factories import ClientFactory
    from tests.cheques.factories import order_for

    order = order_for(ClientFactory(municipality=leuven), quantity=1)
    audit_log(actor=None, action="test", summary="x", obj=order, changes={"status": ["open", "gedeeltelijk_betaald"]})
    entry = AuditEntry.objects.get(action="test")
    with translation.override("nl"):
        [row] = entry.change_rows()
    assert (row["label"], row["old"], row["new"]) == ("Status", "open", "gedeeltelijk betaald")
