"""SEPA credit-transfer files (ISO 20022 pain.001.001.03, as Belgian banks take them under the Febelfin
guidelines): one payment information block, batch booking, amounts in euro with two decimals.

Only the writing: callers (refunds of credit, worker payouts) decide who is paid what, and give a `Debtor`, an
execution date and a list of `Transfer`s. Texts are reduced to the SEPA Latin character set, which every bank
accepts. Input that would give a file the official schema (or a bank) refuses raises `SepaInputError` (a
ValueError) naming the problem and the transfer at fault; every file is validated against the official
pain.001.001.03 XSD (shipped in the `sepaxml` package) before it is returned, so no caller can store one a
bank would refuse.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from lxml import etree
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban

from wijkwerken.core.money import round_money
from wijkwerken.core.validators import iban_checked

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
MAX_AMOUNT = Decimal("999999999.99")
MAX_ID = 35  # message, payment information and end-to-end ids (Max35Text)
MAX_NAME = 70  # names and address lines: 140 in the schema, 70 in the EPC and Febelfin guidelines
MAX_REMITTANCE = 140
MAX_ADDRESS_LINES = 2  # EPC guidelines (the schema allows 7)
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class SepaInputError(ValueError):
    """Input that would give a file no bank takes. `code` names the problem; `transfer` is the index of the
    transfer at fault in the list given, or None when the header or the debtor is at fault."""

    def __init__(self, message: str, *, code: str, transfer: int | None = None):
        super().__init__(message)
        self.code = code
        self.transfer = transfer


def sepa_text(value: str, max_length: int) -> str:
    """`value` in the SEPA Latin character set (accents dropped, anything else a space), at most `max_length`."""
    plain = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode("ascii")
    plain = " ".join(_NOT_SEPA.sub(" ", plain).split())
    return plain[:max_length].strip()


@dataclass(frozen=True)
class Debtor:
    """Who pays: the organiser's account."""

    name: str
    iban: str
    bic: str
    address_lines: tuple[str, ...] = ()
    country: str = "BE"
    organisation_id: str = ""  # the enterprise number (KBO), digits only

    @classmethod
    def of(cls, organiser) -> "Debtor":
        """The organiser's own account as the payer of its refund and payout files (anything with its name, IBAN,
        BIC, address and enterprise number)."""
        return cls(name=organiser.name, iban=organiser.iban, bic=organiser.bic,
                   address_lines=(organiser.street, f"{organiser.postcode} {organiser.city}"),
                   organisation_id="".join(ch for ch in organiser.kbo_number if ch.isdigit()))


@dataclass(frozen=True)
class Transfer:
    """One credit transfer. `creditor_bic` may be empty (IBAN only, as SEPA allows within the EEA)."""

    end_to_end_id: str
    amount: Decimal
    creditor_name: str
    creditor_iban: str
    remittance: str
    creditor_bic: str = ""


def _required_text(value: str, max_length: int, what: str, code: str, transfer: int | None = None) -> str:
    text = sepa_text(value, max_length)
    if not text:
        raise SepaInputError(f"{what} is empty in the SEPA character set: {value!r}", code=code, transfer=transfer)
    return text


def _bic(value: str, what: str, code: str, transfer: int | None = None) -> str:
    bic = stdnum_bic.compact(value or "")
    if not stdnum_bic.is_valid(bic):
        raise SepaInputError(f"{what} is not a valid BIC: {value!r}", code=code, transfer=transfer)
    return bic


@dataclass(frozen=True)
class _CleanTransfer:
    end_to_end_id: str
    amount: Decimal
    creditor_name: str
    creditor_iban: str
    creditor_bic: str
    remittance: str


def _clean_transfer(index: int, transfer: Transfer) -> _CleanTransfer:
    amount = round_money(transfer.amount)
    if not Decimal("0.01") <= amount <= MAX_AMOUNT:
        raise SepaInputError(f"Amount out of range: {transfer.amount}", code="amount", transfer=index)
    creditor_iban = iban_checked(transfer.creditor_iban or "")
    if not creditor_iban:
        raise SepaInputError(f"Not a valid IBAN: {transfer.creditor_iban}", code="creditor_iban", transfer=index)
    return _CleanTransfer(
        end_to_end_id=_required_text(transfer.end_to_end_id, MAX_ID, "The end-to-end id", "end_to_end_id", index),
        amount=amount,
        creditor_name=_required_text(transfer.creditor_name, MAX_NAME, "The creditor's name", "creditor_name",
                                     index),
        creditor_iban=creditor_iban,
        creditor_bic=(_bic(transfer.creditor_bic, "The creditor's BIC", "creditor_bic", index)
                      if (transfer.creditor_bic or "").strip() else ""),
        remittance=_required_text(transfer.remittance, MAX_REMITTANCE, "The remittance text", "remittance", index),
    )


def _clean_debtor(debtor: Debtor) -> tuple[str, str, str, list[str]]:
    name = _required_text(debtor.name, MAX_NAME, "The debtor's name", "debtor_name")
    if not stdnum_iban.is_valid(debtor.iban or ""):
        raise SepaInputError(f"The debtor's IBAN is not valid: {debtor.iban!r}", code="debtor_iban")
    bic = _bic(debtor.bic, "The debtor's BIC", "debtor_bic")
    if not _COUNTRY.match(debtor.country or ""):
        raise SepaInputError(f"The debtor's country is not an ISO code: {debtor.country!r}", code="debtor_country")
    if len(debtor.address_lines) > MAX_ADDRESS_LINES:
        raise SepaInputError(f"At most {MAX_ADDRESS_LINES} address lines", code="debtor_address")
    lines = [_required_text(line, MAX_NAME, "An address line of the debtor", "debtor_address")
             for line in debtor.address_lines]
    if debtor.organisation_id and not (debtor.organisation_id.isdigit() and len(debtor.organisation_id) <= MAX_ID):
        raise SepaInputError(f"The organisation id is not a number: {debtor.organisation_id!r}",
                             code="debtor_organisation_id")
    return name, stdnum_iban.compact(debtor.iban), bic, lines


def _sub(parent, tag: str, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    if text is not None:
        element.text = str(text)
    return element


def _amount(value: Decimal) -> str:
    return f"{round_money(value):.2f}"


def build_credit_transfer(*, message_id: str, payment_id: str, created_at: datetime.datetime, debtor: Debtor,
                          execution_date: datetime.date, transfers: list[Transfer]) -> bytes:
    """The pain.001.001.03 document as UTF-8 bytes, valid against the official schema.

    Raises `SepaInputError` (a ValueError) on input no bank would accept: no transfers, a text that is empty in
    the SEPA character set (message id, payment id, a name, an address line, a remittance text, an end-to-end
    id), an invalid IBAN or BIC (the debtor's BIC is required), an amount out of range, or two end-to-end ids
    that are the same once cleaned and cut to 35 characters (the bank reports each transfer by it).
    """
    if not transfers:
        raise SepaInputError("A credit transfer file needs at least one transfer.", code="no_transfers")
    message = _required_text(message_id, MAX_ID, "The message id", "message_id")
    payment_information = _required_text(payment_id, MAX_ID, "The payment information id", "payment_id")
    debtor_name, debtor_iban, debtor_bic, address_lines = _clean_debtor(debtor)
    clean = [_clean_transfer(index, transfer) for index, transfer in enumerate(transfers)]
    seen = {}
    for index, transfer in enumerate(clean):
        if transfer.end_to_end_id in seen:
            raise SepaInputError(f"End-to-end id {transfer.end_to_end_id!r} is used twice in the file (transfers "
                                 f"{seen[transfer.end_to_end_id] + 1} and {index + 1}).", code="end_to_end_id_twice",
                                 transfer=index)
        seen[transfer.end_to_end_id] = index
    count = str(len(clean))
    total = _amount(sum((t.amount for t in clean), Decimal("0.00")))

    document = etree.Element(f"{{{NAMESPACE}}}Document", nsmap={None: NAMESPACE})
    initiation = _sub(document, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", message)
    _sub(header, "CreDtTm", created_at.replace(microsecond=0, tzinfo=None).isoformat())
    _sub(header, "NbOfTxs", count)
    _sub(header, "CtrlSum", total)
    initiating = _sub(header, "InitgPty")
    _sub(initiating, "Nm", debtor_name)
    if debtor.organisation_id:
        other = _sub(_sub(_sub(initiating, "Id"), "OrgId"), "Othr")
        _sub(other, "Id", debtor.organisation_id)
        _sub(other, "Issr", "KBO-BCE")

    payment = _sub(initiation, "PmtInf")
    _sub(payment, "PmtInfId", payment_information)
    _sub(payment, "PmtMtd", "TRF")
    _sub(payment, "BtchBookg", "true")
    _sub(payment, "NbOfTxs", count)
    _sub(payment, "CtrlSum", total)
    _sub(_sub(_sub(payment, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA")
    _sub(payment, "ReqdExctnDt", execution_date.isoformat())
    debtor_element = _sub(payment, "Dbtr")
    _sub(debtor_element, "Nm", debtor_name)
    address = _sub(debtor_element, "PstlAdr")
    _sub(address, "Ctry", debtor.country)
    for line in address_lines:
        _sub(address, "AdrLine", line)
    _sub(_sub(_sub(payment, "DbtrAcct"), "Id"), "IBAN", debtor_iban)
    _sub(_sub(_sub(payment, "DbtrAgt"), "FinInstnId"), "BIC", debtor_bic)
    _sub(payment, "ChrgBr", "SLEV")
    for transfer in clean:
        transaction = _sub(payment, "CdtTrfTxInf")
        _sub(_sub(transaction, "PmtId"), "EndToEndId", transfer.end_to_end_id)
        _sub(_sub(transaction, "Amt"), "InstdAmt", _amount(transfer.amount), Ccy="EUR")
        if transfer.creditor_bic:
            _sub(_sub(_sub(transaction, "CdtrAgt"), "FinInstnId"), "BIC", transfer.creditor_bic)
        _sub(_sub(transaction, "Cdtr"), "Nm", transfer.creditor_name)
        _sub(_sub(_sub(transaction, "CdtrAcct"), "Id"), "IBAN", transfer.creditor_iban)
        _sub(_sub(transaction, "RmtInf"), "Ustrd", transfer.remittance)
    etree.indent(document)
    content = b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(document, encoding="UTF-8",
                                                                            xml_declaration=False) + b"\n"
    validate_credit_transfer(content)
    return content


@lru_cache(maxsize=1)
def credit_transfer_schema() -> etree.XMLSchema:
    """The official pain.001.001.03 schema, as the `sepaxml` package ships it."""
    schema = resources.files("sepaxml").joinpath("schemas", "pain.001.001.03.xsd")
    with schema.open("rb") as handle:
        return etree.XMLSchema(etree.parse(handle, etree.XMLParser(resolve_entities=False, no_network=True)))


def validate_credit_transfer(content: bytes) -> None:
    """Raise `SepaInputError` (code "schema") when `content` is not a valid pain.001.001.03 document."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        document = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise SepaInputError(f"Not well-formed XML: {error}", code="schema") from None
    schema = credit_transfer_schema()
    if not schema.validate(document):
        first = schema.error_log[0]
        raise SepaInputError(f"Refused by the pain.001.001.03 schema, line {first.line}: {first.message}",
                             code="schema")
