"""The pain.001.001.03 writer refuses what no bank would take, keeps texts in the SEPA character set, and every
file it writes passes the official schema (checked here with xmlschema, independently of the writer's own lxml
check)."""

import datetime
from decimal import Decimal
from functools import lru_cache
from importlib import resources

import pytest
import xmlschema

from cheques.sepa import (
    Debtor,
    SepaInputError,
    Transfer,
    build_credit_transfer,
    sepa_text,
    validate_credit_transfer,
)

DEBTOR = Debtor(name="Wijk-werken Dijleland", iban="BE71 0961 2345 6769", bic="GKCCBEBB",
                address_lines=("Diestsevest 1", "3000 Leuven"), organisation_id="0123456749")


@lru_cache(maxsize=1)
def official_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(resources.files("sepaxml").joinpath("schemas", "pain.001.001.03.xsd")))


def assert_valid_pain001(content: bytes) -> None:
    """The file passes the official pain.001.001.03 schema (the sepaxml package ships it)."""
    official_schema().validate(content.decode())


def _build(*transfers, debtor=DEBTOR, message_id="M1", payment_id="P1"):
    return build_credit_transfer(message_id=message_id, payment_id=payment_id,
                                 created_at=datetime.datetime(2026, 3, 1, 9, 30), debtor=debtor,
                                 execution_date=datetime.date(2026, 3, 2), transfers=list(transfers))


def _transfer(**kwargs):
    values = {"end_to_end_id": "E1", "amount": Decimal("1.00"), "creditor_name": "Jan", "creditor_iban":
              "BE62510007547061", "remittance": "Terugbetaling"} | kwargs
    return Transfer(**values)


def _debtor(**kwargs):
    return Debtor(**(vars(DEBTOR) | kwargs))


def test_texts_are_reduced_to_the_sepa_character_set():
    assert sepa_text("Ève & Zoë Müller-D'Haese <vzw>", 70) == "Eve Zoe Muller-D'Haese vzw"
    assert sepa_text("a" * 80, 70) == "a" * 70
    assert sepa_text("李", 70) == ""


@pytest.mark.parametrize(("bad", "code"), [
    ({"amount": Decimal("0.00")}, "amount"), ({"amount": Decimal("-1.00")}, "amount"),
    ({"amount": Decimal("1000000000.00")}, "amount"),
    ({"creditor_iban": "BE00 0000 0000 0000"}, "creditor_iban"), ({"creditor_iban": ""}, "creditor_iban"),
    ({"creditor_name": "李"}, "creditor_name"), ({"creditor_name": " & <> "}, "creditor_name"),
    ({"end_to_end_id": ""}, "end_to_end_id"), ({"end_to_end_id": "€€"}, "end_to_end_id"),
    ({"remittance": ""}, "remittance"), ({"remittance": "李小龍"}, "remittance"),
    ({"remittance": "  ***  "}, "remittance"),
    ({"creditor_bic": "GEBA"}, "creditor_bic"),
])
def test_a_transfer_no_bank_takes_is_refused_naming_it(bad, code):
    with pytest.raises(SepaInputError) as error:
        _build(_transfer(end_to_end_id="OK1"), _transfer(**({"end_to_end_id": "OK2"} | bad)))
    assert isinstance(error.value, ValueError)
    assert (error.value.code, error.value.transfer) == (code, 1)


@pytest.mark.parametrize(("debtor", "code"), [
    ({"name": "李"}, "debtor_name"), ({"bic": ""}, "debtor_bic"), ({"bic": "  "}, "debtor_bic"),
    ({"bic": "GKCCBEB"}, "debtor_bic"), ({"iban": "BE00"}, "debtor_iban"),
    ({"address_lines": ("Diestsevest 1", "  ")}, "debtor_address"), ({"address_lines": ("李",)}, "debtor_address"),
    ({"address_lines": ("a", "b", "c")}, "debtor_address"), ({"country": "be"}, "debtor_country"),
    ({"organisation_id": "BE 0123"}, "debtor_organisation_id"),
])
def test_a_debtor_no_bank_takes_is_refused(debtor, code):
    with pytest.raises(SepaInputError) as error:
        _build(_transfer(), debtor=_debtor(**debtor))
    assert (error.value.code, error.value.transfer) == (code, None)


@pytest.mark.parametrize(("message_id", "payment_id", "code"), [
    ("", "P1", "message_id"), ("€ ¤", "P1", "message_id"), ("M1", "", "payment_id"), ("M1", "李", "payment_id"),
])
def test_empty_ids_of_the_file_are_refused(message_id, payment_id, code):
    with pytest.raises(SepaInputError) as error:
        _build(_transfer(), message_id=message_id, payment_id=payment_id)
    assert error.value.code == code


def test_an_empty_file_or_a_repeated_end_to_end_id_is_refused():
    with pytest.raises(SepaInputError) as error:
        _build()
    assert error.value.code == "no_transfers"
    with pytest.raises(SepaInputError) as error:
        _build(_transfer(), _transfer())
    assert (error.value.code, error.value.transfer) == ("end_to_end_id_twice", 1)


@pytest.mark.parametrize(("first", "second"), [
    ("TB12-" + "9" * 30 + "1", "TB12-" + "9" * 30 + "2"),  # the same once cut to 35 characters
    ("TB1&100001", "TB1 100001"), ("TB1-Élise", "TB1-Elise"),  # the same once in the SEPA character set
])
def test_end_to_end_ids_must_differ_as_written_in_the_file(first, second):
    with pytest.raises(SepaInputError) as error:
        _build(_transfer(end_to_end_id=first), _transfer(end_to_end_id=second))
    assert (error.value.code, error.value.transfer) == ("end_to_end_id_twice", 1)


def test_amounts_have_two_decimals_and_the_creation_time_no_zone():
    content = _build(_transfer(amount=Decimal("7.5")), _transfer(end_to_end_id="E2", amount=Decimal("0.105")))
    assert_valid_pain001(content)
    assert b"<InstdAmt Ccy=\"EUR\">7.50</InstdAmt>" in content
    assert b"<InstdAmt Ccy=\"EUR\">0.11</InstdAmt>" in content
    assert b"<CtrlSum>7.61</CtrlSum>" in content
    assert b"<CreDtTm>2026-03-01T09:30:00</CreDtTm>" in content


def test_a_payout_batch_uses_the_same_writer_with_the_creditors_bic():
    """Worker allowances: one transfer per worker, the BIC when known, the month in the communication."""
    transfers = [
        Transfer(end_to_end_id=f"UB7-W{n}", amount=Decimal("4.10") * hours, creditor_name=name,
                 creditor_iban=iban, creditor_bic=bic, remittance="Wijk-werkvergoeding 11/2026")
        for n, (name, iban, bic, hours) in enumerate([
            ("Zoë Öztürk", "BE62510007547061", "GEBABEBB", 12), ("Jan Peeters", "NL91ABNA0417164300", "", 3),
            ("Sofie D'Hondt", "BE71 0961 2345 6769", "gkcc be bb", 60)], start=1)]
    content = build_credit_transfer(message_id="WW1-UB7-20261201", payment_id="UB7",
                                    created_at=datetime.datetime(2026, 12, 1, 8), debtor=DEBTOR,
                                    execution_date=datetime.date(2026, 12, 3), transfers=transfers)
    assert_valid_pain001(content)
    assert content.count(b"<Ustrd>Wijk-werkvergoeding 11/2026</Ustrd>") == 3
    assert content.count(b"<CdtrAgt>") == 2 and b"<BIC>GKCCBEBB</BIC>" in content
    assert b"<Nm>Zoe Ozturk</Nm>" in content
    assert b"<CtrlSum>307.50</CtrlSum>" in content


def test_the_schema_check_refuses_a_document_the_writer_did_not_check():
    content = _build(_transfer())
    validate_credit_transfer(content)
    for broken in (content.replace(b"<BIC>GKCCBEBB</BIC>", b"<BIC>gkccbebb</BIC>"),
                   content.replace(b"<NbOfTxs>1</NbOfTxs>", b"", 1),
                   content.replace(b"<Ustrd>Terugbetaling</Ustrd>", b"<Ustrd></Ustrd>"),
                   content[:200]):
        with pytest.raises(SepaInputError) as error:
            validate_credit_transfer(broken)
        assert error.value.code == "schema"
