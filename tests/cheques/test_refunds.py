"""Refunds of client credit: one SEPA credit-transfer file (pain.001.001.03) per batch, never the same money twice."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cheques.models import ClientCredit, CreditKind, RefundBatch
from cheques.selectors import credit_balance
from cheques.services.orders import Receipt, payments_apply
from cheques.services.refunds import refund_batch_create, refund_execution_date_default
from tests.assignments.factories import ClientFactory
from tests.cheques.factories import VALID_PAYER_IBAN
from tests.cheques.test_sepa import assert_valid_pain001
from wijkwerken.core.models import AuditEntry, Municipality

pytestmark = pytest.mark.django_db

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
CLIENT_IBAN = "BE71 0961 2345 6769"
OTHER_PAYER_IBAN = "NL91ABNA0417164300"

# The element order the pain.001.001.03 schema prescribes (xs:sequence) for the parts this file uses.
SEQUENCES = {
    "CstmrCdtTrfInitn": ["GrpHdr", "PmtInf"],
    "GrpHdr": ["MsgId", "CreDtTm", "NbOfTxs", "CtrlSum", "InitgPty"],
    "PmtInf": ["PmtInfId", "PmtMtd", "BtchBookg", "NbOfTxs", "CtrlSum", "PmtTpInf", "ReqdExctnDt", "Dbtr",
               "DbtrAcct", "DbtrAgt", "ChrgBr", "CdtTrfTxInf"],
    "CdtTrfTxInf": ["PmtId", "Amt", "Cdtr", "CdtrAcct", "RmtInf"],
}


def _xml(batch):
    with batch.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert_valid_pain001(content)
    return ET.fromstring(content)


def _local(element):
    return element.tag.split("}", 1)[1]


def _assert_schema_order(root):
    assert _local(root) == "Document" and root.tag.startswith("{" + NS["p"] + "}")
    for element in root.iter():
        expected = SEQUENCES.get(_local(element))
        if expected is None:
            continue
        children = [_local(child) for child in element]
        positions = [expected.index(name) for name in children]  # ValueError: an element the schema lacks here
        assert positions == sorted(positions), (_local(element), children)
        assert set(expected) <= set(children), (_local(element), children)


def _text(node, path):
    return node.find(path, NS).text


def test_a_batch_refunds_each_credit_in_one_sepa_file(organiser, leuven, bemiddelaar, give_credit):
    with_iban = ClientFactory(municipality=leuven, iban=CLIENT_IBAN, first_name="Élise", last_name="D'Hondt & Zn")
    from_payer = ClientFactory(municipality=leuven)
    give_credit(with_iban, "12.30")
    give_credit(with_iban, "0.05")
    give_credit(from_payer, "7.45", iban=OTHER_PAYER_IBAN)
    execution = refund_execution_date_default() + datetime.timedelta(days=3)

    batch = refund_batch_create(organiser=organiser, client_ids=[from_payer.pk, with_iban.pk], actor=bemiddelaar,
                                execution_date=execution)

    assert (batch.number, batch.count, batch.total, batch.execution_date) == (1, 2, Decimal("19.80"), execution)
    assert batch.created_by == bemiddelaar and batch.file.name.endswith(".xml")
    assert credit_balance(with_iban) == 0 and credit_balance(from_payer) == 0
    refunds = {c.client_id: c for c in ClientCredit.objects.filter(kind=CreditKind.REFUNDED)}
    assert refunds[with_iban.pk].amount == Decimal("-12.35") and refunds[with_iban.pk].refund_batch == batch
    assert refunds[with_iban.pk].refund_iban == "BE71096123456769"  # the client's own IBAN comes first
    assert refunds[from_payer.pk].refund_iban == OTHER_PAYER_IBAN  # else the account the money came from

    root = _xml(batch)
    _assert_schema_order(root)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert _text(header, "p:MsgId") == batch.message_id and len(batch.message_id) <= 35
    assert _text(header, "p:NbOfTxs") == "2" and _text(header, "p:CtrlSum") == "19.80"
    assert _text(header, "p:InitgPty/p:Nm") == "Wijk-werken Dijleland"
    payment = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert _text(payment, "p:PmtMtd") == "TRF" and _text(payment, "p:BtchBookg") == "true"
    assert _text(payment, "p:NbOfTxs") == "2" and _text(payment, "p:CtrlSum") == "19.80"
    assert _text(payment, "p:PmtTpInf/p:SvcLvl/p:Cd") == "SEPA"
    assert _text(payment, "p:ReqdExctnDt") == execution.isoformat()
    assert _text(payment, "p:Dbtr/p:Nm") == organiser.name
    assert _text(payment, "p:DbtrAcct/p:Id/p:IBAN") == organiser.iban.replace(" ", "")
    assert _text(payment, "p:DbtrAgt/p:FinInstnId/p:BIC") == organiser.bic
    assert _text(payment, "p:ChrgBr") == "SLEV"
    transfers = {_text(t, "p:PmtId/p:EndToEndId"): t for t in payment.findall("p:CdtTrfTxInf", NS)}
    assert set(transfers) == {f"TB1-{with_iban.number}", f"TB1-{from_payer.number}"}
    first = transfers[f"TB1-{with_iban.number}"]
    amount = first.find("p:Amt/p:InstdAmt", NS)
    assert amount.text == "12.35" and amount.get("Ccy") == "EUR"
    assert _text(first, "p:Cdtr/p:Nm") == "Elise D'Hondt Zn"  # the SEPA character set
    assert _text(first, "p:CdtrAcct/p:Id/p:IBAN") == "BE71096123456769"
    assert _text(first, "p:RmtInf/p:Ustrd") == f"Terugbetaling tegoed wijk-werken {with_iban.number}"
    second = transfers[f"TB1-{from_payer.number}"]
    assert _text(second, "p:Amt/p:InstdAmt") == "7.45"
    assert _text(second, "p:CdtrAcct/p:Id/p:IBAN") == OTHER_PAYER_IBAN
    sum_of_amounts = sum(Decimal(t.find("p:Amt/p:InstdAmt", NS).text) for t in transfers.values())
    assert sum_of_amounts == Decimal(_text(header, "p:CtrlSum"))

    assert AuditEntry.objects.get(action="refund_batch.create").object_id == str(batch.pk)
    assert AuditEntry.objects.filter(action="client_credit.refund").count() == 2


def test_a_second_batch_never_refunds_the_same_money(organiser, client_obj, bemiddelaar, give_credit):
    give_credit(client_obj, "10.00")
    first = refund_batch_create(organiser=organiser, client_ids=[client_obj.pk], actor=bemiddelaar)
    with pytest.raises(ValidationError) as error:
        refund_batch_create(organiser=organiser, client_ids=[client_obj.pk], actor=bemiddelaar)
    assert error.value.error_dict["clients"][0].code == "no_credit"
    give_credit(client_obj, "4.00")  # new money after the first batch
    second = refund_batch_create(organiser=organiser, client_ids=[client_obj.pk], actor=bemiddelaar)
    assert (first.number, first.total, second.number, second.total) == (1, Decimal("10.00"), 2, Decimal("4.00"))
    assert _text(_xml(second), "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum") == "4.00"
    assert credit_balance(client_obj) == 0


def _refused(code, **kwargs):
    with pytest.raises(ValidationError) as error:
        refund_batch_create(**kwargs)
    codes = [e.code for errors in error.value.error_dict.values() for e in errors]
    assert codes == [code]
    assert not RefundBatch.objects.exists()
    assert not ClientCredit.objects.filter(kind=CreditKind.REFUNDED).exists()
    return error.value


def test_clients_of_another_organiser_are_refused(organiser, client_obj, bemiddelaar, give_credit, other_organiser):
    give_credit(client_obj, "10.00")
    foreign = ClientFactory(municipality=Municipality.objects.get(nis_code="44021"), iban=CLIENT_IBAN)
    payments_apply(organiser=other_organiser, actor=None, receipts=[Receipt(
        amount=Decimal("9.00"), received_on=datetime.date.today(), method="overschrijving", client_id=foreign.pk,
        payer_iban=VALID_PAYER_IBAN)])
    assert credit_balance(foreign) == Decimal("9.00")
    _refused("other_organiser", organiser=organiser, client_ids=[client_obj.pk, foreign.pk], actor=bemiddelaar)
    assert credit_balance(foreign) == Decimal("9.00") and credit_balance(client_obj) == Decimal("10.00")


def test_clients_without_credit_or_without_a_valid_iban_refuse_the_batch(organiser, leuven, client_obj, bemiddelaar,
                                                                          give_credit):
    give_credit(client_obj, "10.00")
    empty = ClientFactory(municipality=leuven, iban=CLIENT_IBAN)
    error = _refused("no_credit", organiser=organiser, client_ids=[client_obj.pk, empty.pk], actor=bemiddelaar)
    assert empty.name in error.messages[0]
    no_iban = ClientFactory(municipality=leuven)
    payments_apply(organiser=organiser, actor=None, receipts=[Receipt(
        amount=Decimal("3.00"), received_on=datetime.date.today(), method="overschrijving", client_id=no_iban.pk)])
    _refused("no_iban", organiser=organiser, client_ids=[client_obj.pk, no_iban.pk], actor=bemiddelaar)
    ClientFactory._meta.model.objects.filter(pk=client_obj.pk).update(iban="BE00 0000 0000 0000")
    _refused("no_iban", organiser=organiser, client_ids=[client_obj.pk], actor=bemiddelaar)
    _refused("no_clients", organiser=organiser, client_ids=[], actor=bemiddelaar)
    assert credit_balance(client_obj) == Decimal("10.00")


def test_the_execution_date_defaults_to_the_next_working_day_and_is_never_in_the_past(organiser, client_obj,
                                                                                     bemiddelaar, give_credit):
    assert refund_execution_date_default(datetime.date(2026, 12, 24)) == datetime.date(2026, 12, 28)  # Christmas
    assert refund_execution_date_default(datetime.date(2027, 2, 26)) == datetime.date(2027, 3, 1)  # a Friday
    give_credit(client_obj, "10.00")
    today = datetime.date.today()
    _refused("date_in_past", organiser=organiser, client_ids=[client_obj.pk], actor=bemiddelaar,
             execution_date=today - datetime.timedelta(days=1))
    _refused("date_too_late", organiser=organiser, client_ids=[client_obj.pk], actor=bemiddelaar,
             execution_date=today + datetime.timedelta(days=400))
    with time_machine.travel(datetime.datetime(2026, 12, 24, 10, 0), tick=False):
        batch = refund_batch_create(organiser=organiser, client_ids=[client_obj.pk], actor=bemiddelaar)
    assert batch.execution_date == datetime.date(2026, 12, 28)


def test_a_batch_can_never_be_changed_or_deleted(organiser, client_obj, bemiddelaar, give_credit):
    assert connection.vendor == "postgresql"
    give_credit(client_obj, "10.00")
    batch = refund_batch_create(organiser=organiser, client_ids=[client_obj.pk], actor=bemiddelaar)
    with pytest.raises(IntegrityError), transaction.atomic():
        RefundBatch.objects.filter(pk=batch.pk).update(total=Decimal("1000.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RefundBatch.objects.filter(pk=batch.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():  # a refund always belongs to a batch
        ClientCredit.objects.create(organiser=organiser, client=client_obj, amount=Decimal("-1.00"),
                                    kind=CreditKind.REFUNDED, refund_iban=VALID_PAYER_IBAN)
    batch.refresh_from_db()
    assert batch.total == Decimal("10.00")


@pytest.mark.django_db(transaction=True)
def test_two_batches_created_at_once_refund_the_credit_once(organiser, leuven, bemiddelaar, beheerder, upload):
    """Two staff members create a refund for the same client at the same moment: the second one, once it gets the
    locks, finds no credit left and creates nothing."""
    import threading

    from tests.cheques.factories import coda_file, credit

    assert connection.vendor == "postgresql"
    client = ClientFactory(municipality=leuven, iban=CLIENT_IBAN)
    upload(coda_file(organiser, [credit("25.00", client.structured_communication, structured=True)]))
    barrier = threading.Barrier(2)
    outcomes, raised = [], []

    def create(actor):
        try:
            barrier.wait(timeout=10)
            outcomes.append(refund_batch_create(organiser=organiser, client_ids=[client.pk], actor=actor).number)
        except ValidationError as error:
            outcomes.append(error.error_dict["clients"][0].code)
        except Exception as error:  # noqa: BLE001 - a thread that died fails the test below
            raised.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(actor,)) for actor in (bemiddelaar, beheerder)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads) and raised == []
    assert sorted(outcomes, key=str) == [1, "no_credit"]
    assert RefundBatch.objects.get().total == Decimal("25.00")
    assert credit_balance(client) == 0


def test_the_client_is_told_where_and_when_the_credit_goes(organiser, leuven, bemiddelaar, give_credit):
    from tests.assignments.factories import client_with_login
    from wijkwerken.core.models import Notification

    client, user = client_with_login(leuven, iban=VALID_PAYER_IBAN)
    give_credit(client, "12.50")
    batch = refund_batch_create(organiser=organiser, client_ids=[client.pk], actor=bemiddelaar,
                                execution_date=refund_execution_date_default())
    note = Notification.objects.get(recipient=user)
    assert "€ 12,50" in note.text and batch.execution_date.strftime("%d/%m/%Y") in note.text
    assert note.key == f"cheques.refund.{batch.pk}.{client.pk}"


def _nothing_refunded(*clients):
    assert not RefundBatch.objects.exists()
    assert not ClientCredit.objects.filter(kind=CreditKind.REFUNDED).exists()
    assert not AuditEntry.objects.filter(action="refund_batch.create").exists()
    for client in clients:
        assert credit_balance(client) > 0


def _client_named_in_cyrillic(leuven, give_credit):
    """A client with credit whose name has no letter of the SEPA character set (the bank statement that brought
    the credit named the payer in Latin letters)."""
    from assignments.models import Client

    client = ClientFactory(municipality=leuven, iban=CLIENT_IBAN)
    give_credit(client, "6.00")
    Client.objects.filter(pk=client.pk).update(name="Иван Петров", first_name="Иван", last_name="Петров")
    return Client.objects.get(pk=client.pk)


def test_a_client_whose_name_a_bank_cannot_read_refuses_the_batch_in_dutch(organiser, leuven, bemiddelaar,
                                                                           give_credit):
    readable = ClientFactory(municipality=leuven, iban=CLIENT_IBAN)
    give_credit(readable, "5.00")
    cyrillic = _client_named_in_cyrillic(leuven, give_credit)
    with pytest.raises(ValidationError) as error:
        refund_batch_create(organiser=organiser, client_ids=[readable.pk, cyrillic.pk], actor=bemiddelaar)
    [problem] = error.value.error_dict["clients"]
    assert problem.code == "sepa_creditor_name"
    assert problem.message == (f"Er kan geen SEPA-bestand gemaakt worden voor {cyrillic.name} ({cyrillic.number}): "
                               "de naam bevat geen letters of cijfers die een bank aanvaardt. Pas de gegevens van de "
                               "gebruiker aan of vink de gebruiker uit; er werd niets terugbetaald.")
    _nothing_refunded(readable, cyrillic)


def test_an_organiser_without_a_bic_refuses_the_batch_in_dutch(organiser, client_obj, bemiddelaar, give_credit):
    from wijkwerken.core.models import Organiser

    give_credit(client_obj, "5.00")
    Organiser.objects.filter(pk=organiser.pk).update(bic="")
    with pytest.raises(ValidationError) as error:
        refund_batch_create(organiser=organiser, client_ids=[client_obj.pk], actor=bemiddelaar)
    [problem] = error.value.error_dict["clients"]
    assert problem.code == "sepa_debtor_bic"
    assert "de BIC van onze organisatie ontbreekt of is niet geldig" in problem.message
    _nothing_refunded(client_obj)


def test_the_refund_page_shows_the_sepa_problem_and_changes_nothing(client, organiser, leuven, bemiddelaar,
                                                                    give_credit):
    cyrillic = _client_named_in_cyrillic(leuven, give_credit)
    client.force_login(bemiddelaar)
    response = client.post("/cheques/tegoeden/", {"clients": [str(cyrillic.pk)],
                                                  "execution_date": refund_execution_date_default().isoformat()})
    assert response.status_code == 400
    assert "Er kan geen SEPA-bestand gemaakt worden voor" in response.content.decode()
    _nothing_refunded(cyrillic)
