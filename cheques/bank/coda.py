"""CODA (Febelfin "Coded statement of account", version 2). pycoda reads the records; this module checks the
file first (record length, record order, the trailer's record count and totals, the balances) so a damaged
file is refused as a whole, and reads amounts as Decimal (pycoda returns floats)."""

import datetime
from decimal import Decimal, InvalidOperation

from coda.parser import CodaParserException, Parser
from coda.statement import MovementRecordType
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs

from . import ParsedLine, ParsedStatement, StatementError, payer_iban

RECORD_LENGTH = 128
KNOWN_RECORDS = {"0", "1", "21", "22", "23", "31", "32", "33", "4", "8", "9"}
# Types of a structured communication (record 2.1, position 63) that hold a Belgian structured communication
# (OGM/VCS): 101 as typed by the payer, 102 reconstituted by the bank. Every other type (card payments,
# direct debits, cheque numbers, ...) carries the bank's own data, which is not a payment reference.
BELGIAN_STRUCTURED_TYPES = {"101", "102"}
PYCODA_STRUCTURED = len("+++123/4567/89012+++")


def _record_type(record: str) -> str:
    return record[:2] if record[0] in "23" else record[0]


def _amount(field: str, line_no: int) -> Decimal:
    try:
        return Decimal(int(field)) / 1000
    except (ValueError, InvalidOperation):
        raise StatementError(_("the amount %(value)s is not a number.") % {"value": field.strip()},
                             line=line_no, code="bad_amount") from None


def _date(field: str, line_no: int) -> datetime.date:
    try:
        return datetime.datetime.strptime(field, "%d%m%y").date()
    except ValueError:
        raise StatementError(_("the date %(value)s is not valid.") % {"value": field}, line=line_no,
                             code="bad_date") from None


def _communication(record: str, read: str) -> tuple[str, bool]:
    """The communication of a movement and whether it is a Belgian structured communication.

    `record` is the raw record 2.1, `read` what pycoda made of the communication: it writes every structured
    communication, whatever its type, as "+++…+++" from the first twelve characters, followed by the text of
    the records 2.2 and 2.3. A card payment's terminal data would look like a payment reference that way.
    """
    if record[61] != "1":
        return read, False
    kind, data = record[62:65], record[65:115]
    if kind in BELGIAN_STRUCTURED_TYPES and ogm_vcs.is_valid(data[:12]):
        return read, True
    rest = read[PYCODA_STRUCTURED:] if read.startswith("+++") else read
    return " ".join(f"{data} {rest}".split()), False


def _check(records: list[tuple[int, str]]) -> tuple[dict[tuple[int, str], tuple[Decimal, datetime.date, int, str]],
                                                    str, datetime.date | None]:
    """Validate the raw records; returns {(statement, ref): (amount, booking date, line, record)}, the account
    and the date of the newest statement in the file."""
    amounts = {}
    account = ""
    statement_no = -1
    count = debit = credit = Decimal(0)
    old_balance = None
    statement_date = None
    for line_no, record in records:
        if len(record) != RECORD_LENGTH:
            raise StatementError(
                _("a CODA record has %(expected)s characters, this one has %(actual)s.")
                % {"expected": RECORD_LENGTH, "actual": len(record)}, line=line_no, code="record_length")
        kind = _record_type(record)
        if kind not in KNOWN_RECORDS:
            raise StatementError(_("unknown record type %(type)s.") % {"type": record[:2]}, line=line_no,
                                 code="record_type")
        if kind == "0":
            if statement_no >= 0 and count:
                raise StatementError(_("a statement starts before the previous one ended."), line=line_no,
                                     code="record_order")
            statement_no += 1
            count = debit = credit = Decimal(0)
            old_balance = None
            if record[127] != "2":
                raise StatementError(_("only CODA version 2 is supported."), line=line_no, code="coda_version")
            created = _date(record[5:11], line_no)
            statement_date = max(statement_date or created, created)
            continue
        if statement_no < 0:
            raise StatementError(_("the file does not start with a header record."), line=line_no,
                                 code="record_order")
        if kind == "1":
            if record[1] not in "23":
                raise StatementError(_("the account is not an IBAN account."), line=line_no, code="account_type")
            account = (record[5:21] if record[1] == "2" else record[5:39]).strip().replace(" ", "")
            sign = -1 if record[42] == "1" else 1
            old_balance = sign * _amount(record[43:58], line_no)
        if kind in ("1", "21", "22", "23", "31", "32", "33", "8"):
            count += 1
        if kind == "21":
            amount = _amount(record[32:47], line_no)
            booking = _date(record[115:121], line_no)
            if record[6:10] == "0000":
                if record[31] == "1":
                    debit += amount
                else:
                    credit += amount
            amounts[(statement_no, record[2:10])] = (amount, booking, line_no, record)
        if kind == "8":
            sign = -1 if record[41] == "1" else 1
            new_balance = sign * _amount(record[42:57], line_no)
            if old_balance is not None and old_balance + credit - debit != new_balance:
                raise StatementError(_("the new balance does not equal the old balance plus the movements."),
                                     line=line_no, code="checksum")
        if kind == "9":
            expected_count = _amount(record[16:22], line_no) * 1000
            if (expected_count != count or _amount(record[22:37], line_no) != debit
                    or _amount(record[37:52], line_no) != credit):
                raise StatementError(
                    _("the totals in the trailer record do not match the movements (checksum)."),
                    line=line_no, code="checksum")
            count = Decimal(0)
    if statement_no < 0:
        raise StatementError(_("the file contains no statement."), code="empty")
    if count:
        raise StatementError(_("the file ends without a trailer record: it is incomplete."),
                             line=records[-1][0], code="truncated")
    return amounts, account, statement_date


def parse_coda(content: bytes) -> ParsedStatement:
    try:
        text = content.decode("windows-1252")
    except UnicodeDecodeError:
        raise StatementError(_("the file is not a text file."), code="encoding") from None
    records = [(n, raw.rstrip("\r")) for n, raw in enumerate(text.split("\n"), start=1) if raw.strip("\r")]
    if not records:
        raise StatementError(_("the file is empty."), code="empty")
    amounts, account, statement_date = _check(records)
    try:
        statements = Parser().parse(content)
    except (CodaParserException, ValueError, IndexError) as exc:
        message = getattr(exc, "msg", None) or str(exc)
        raise StatementError(_("the file cannot be read: %(error)s") % {"error": message.strip()},
                             code="malformed") from None
    accounts = {s.acc_number.replace(" ", "") for s in statements}
    if len(accounts) > 1:
        raise StatementError(_("the file holds statements of more than one account."), code="several_accounts")
    if not stdnum_iban.is_valid(account):
        raise StatementError(_("the account %(account)s is not a valid IBAN.") % {"account": account},
                             line=records[1][0] if len(records) > 1 else 1, code="account")
    parsed = ParsedStatement(account_iban=stdnum_iban.compact(account), statement_date=statement_date)
    for statement_no, statement in enumerate(statements):
        for movement in statement.movements:
            if movement.type != MovementRecordType.NORMAL:
                continue
            amount, booking, line_no, record = amounts[(statement_no, movement.ref)]
            communication, structured = _communication(record, movement.communication or "")
            counterparty = (movement.counterparty_number or "").replace(" ", "")
            parsed.lines.append(ParsedLine(
                booking_date=booking,
                amount=amount.quantize(Decimal("0.01")),
                credit=movement.transaction_amount_sign == "0",
                communication=communication[:500],
                structured=structured,
                payer_name=(movement.counterparty_name or "")[:200],
                payer_iban=payer_iban(counterparty),
                payer_bic=(movement.counterparty_bic or "")[:11],
                bank_reference=(movement.transaction_ref or "")[:100],
                source_line=line_no,
            ))
    return parsed
