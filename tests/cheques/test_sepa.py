"""The pain.001.001.03 writer refuses what no bank would take and keeps texts in the SEPA character set."""

import datetime
from decimal import Decimal

import pytest

from cheques.sepa import Debtor, Transfer, build_credit_transfer, sepa_text

DEBTOR = Debtor(name="Wijk-werken Dijleland", iban="BE71 0961 2345 6769", bic="GKCCBEBB")


def _build(*transfers):
    return build_credit_transfer(message_id="M1", payment_id="P1", created_at=datetime.datetime(2026, 3, 1, 9, 30),
                                 debtor=DEBTOR, execution_date=datetime.date(2026, 3, 2), transfers=list(transfers))


def _transfer(**kwargs):
    values = {"end_to_end_id": "E1", "amount": Decimal("1.00"), "creditor_name": "Jan", "creditor_iban":
              "BE62510007547061", "remittance": "Terugbetaling"} | kwargs
    return Transfer(**values)


def test_texts_are_reduced_to_the_sepa_character_set():
    assert sepa_text("Ève & Zoë Müller-D'Haese <vzw>", 70) == "Eve Zoe Muller-D'Haese vzw"
    assert sepa_text("a" * 80, 70) == "a" * 70
    assert sepa_text("李", 70) == ""


@pytest.mark.parametrize("bad", [
    {"amount": Decimal("0.00")}, {"amount": Decimal("-1.00")}, {"amount": Decimal("1000000000.00")},
    {"creditor_iban": "BE00 0000 0000 0000"}, {"creditor_name": "李"}, {"end_to_end_id": ""},
])
def test_what_no_bank_takes_is_refused(bad):
    with pytest.raises(ValueError):
        _build(_transfer(**bad))


def test_an_empty_file_or_a_repeated_end_to_end_id_is_refused():
    with pytest.raises(ValueError):
        _build()
    with pytest.raises(ValueError):
        _build(_transfer(), _transfer())


def test_amounts_have_two_decimals_and_the_creation_time_no_zone():
    content = _build(_transfer(amount=Decimal("7.5")), _transfer(end_to_end_id="E2", amount=Decimal("0.105")))
    assert b"<InstdAmt Ccy=\"EUR\">7.50</InstdAmt>" in content
    assert b"<InstdAmt Ccy=\"EUR\">0.11</InstdAmt>" in content
    assert b"<CtrlSum>7.61</CtrlSum>" in content
    assert b"<CreDtTm>2026-03-01T09:30:00</CreDtTm>" in content
