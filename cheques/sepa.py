"""SEPA credit-transfer files (ISO 20022 pain.001.001.03, as Belgian banks take them under the Febelfin
guidelines): one payment information block, batch booking, amounts in euro with two decimals.

Only the writing: callers (refunds now, worker payouts later) decide who is paid what. Texts are reduced to the
SEPA Latin character set, which every bank accepts.
"""

import datetime
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban

from wijkwerken.core.money import round_money

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
MAX_AMOUNT = Decimal("999999999.99")
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")


def sepa_text(value: str, max_length: int) -> str:
    """`value` in the SEPA Latin character set (accents dropped, anything else a space), at most `max_length`."""
    plain = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode("ascii")
    plain = " ".join(_NOT_SEPA.sub(" ", plain).split())
    return plain[:max_length].strip()


@dataclass(frozen=True)
class Debtor:
    name: str
    iban: str
    bic: str
    address_lines: tuple[str, ...] = ()
    country: str = "BE"
    organisation_id: str = ""  # the enterprise number (KBO), digits only


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str
    amount: Decimal
    creditor_name: str
    creditor_iban: str
    remittance: str


def _sub(parent, tag: str, text=None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = str(text)
    return element


def _amount(value: Decimal) -> str:
    return f"{round_money(value):.2f}"


def build_credit_transfer(*, message_id: str, payment_id: str, created_at: datetime.datetime, debtor: Debtor,
                          execution_date: datetime.date, transfers: list[Transfer]) -> bytes:
    """The pain.001.001.03 document as UTF-8 bytes. Raises ValueError on input no bank would accept."""
    if not transfers:
        raise ValueError("A credit transfer file needs at least one transfer.")
    for transfer in transfers:
        if not Decimal("0.01") <= round_money(transfer.amount) <= MAX_AMOUNT:
            raise ValueError(f"Amount out of range: {transfer.amount}")
        if not stdnum_iban.is_valid(transfer.creditor_iban):
            raise ValueError(f"Not a valid IBAN: {transfer.creditor_iban}")
        if not sepa_text(transfer.creditor_name, 70) or not sepa_text(transfer.end_to_end_id, 35):
            raise ValueError("Every transfer needs a creditor name and an end-to-end id.")
    if len({t.end_to_end_id for t in transfers}) != len(transfers):
        raise ValueError("End-to-end ids must be unique within the file.")
    count = str(len(transfers))
    total = _amount(sum((round_money(t.amount) for t in transfers), Decimal("0.00")))

    document = ET.Element("Document", {"xmlns": NAMESPACE})
    initiation = _sub(document, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", sepa_text(message_id, 35))
    _sub(header, "CreDtTm", created_at.replace(microsecond=0, tzinfo=None).isoformat())
    _sub(header, "NbOfTxs", count)
    _sub(header, "CtrlSum", total)
    initiating = _sub(header, "InitgPty")
    _sub(initiating, "Nm", sepa_text(debtor.name, 70))
    if debtor.organisation_id:
        other = _sub(_sub(_sub(initiating, "Id"), "OrgId"), "Othr")
        _sub(other, "Id", debtor.organisation_id)
        _sub(other, "Issr", "KBO-BCE")

    payment = _sub(initiation, "PmtInf")
    _sub(payment, "PmtInfId", sepa_text(payment_id, 35))
    _sub(payment, "PmtMtd", "TRF")
    _sub(payment, "BtchBookg", "true")
    _sub(payment, "NbOfTxs", count)
    _sub(payment, "CtrlSum", total)
    _sub(_sub(_sub(payment, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA")
    _sub(payment, "ReqdExctnDt", execution_date.isoformat())
    debtor_element = _sub(payment, "Dbtr")
    _sub(debtor_element, "Nm", sepa_text(debtor.name, 70))
    address = _sub(debtor_element, "PstlAdr")
    _sub(address, "Ctry", debtor.country)
    for line in debtor.address_lines[:2]:
        _sub(address, "AdrLine", sepa_text(line, 70))
    _sub(_sub(_sub(payment, "DbtrAcct"), "Id"), "IBAN", stdnum_iban.compact(debtor.iban))
    _sub(_sub(_sub(payment, "DbtrAgt"), "FinInstnId"), "BIC", stdnum_bic.compact(debtor.bic))
    _sub(payment, "ChrgBr", "SLEV")
    for transfer in transfers:
        transaction = _sub(payment, "CdtTrfTxInf")
        _sub(_sub(transaction, "PmtId"), "EndToEndId", sepa_text(transfer.end_to_end_id, 35))
        _sub(_sub(transaction, "Amt"), "InstdAmt", _amount(transfer.amount), Ccy="EUR")
        _sub(_sub(transaction, "Cdtr"), "Nm", sepa_text(transfer.creditor_name, 70))
        _sub(_sub(_sub(transaction, "CdtrAcct"), "Id"), "IBAN", stdnum_iban.compact(transfer.creditor_iban))
        _sub(_sub(transaction, "RmtInf"), "Ustrd", sepa_text(transfer.remittance, 140))
    ET.indent(document)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(document, encoding="unicode").encode() + b"\n"
