"""CAMT.053 (ISO 20022 BankToCustomerStatement), any version 001.02 to 001.13. Read with defusedxml (no
entities, no DTDs); elements keep their line so an error can name it. Every entry and every transaction in
a batch entry becomes one line."""

import datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import ParseError, TreeBuilder

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs

from . import ParsedLine, ParsedStatement, StatementError, payer_iban


class _LineTreeBuilder(TreeBuilder):
    def __init__(self):
        super().__init__()
        self.lines = {}
        self.parser = None

    def start(self, tag, attrs):
        element = super().start(tag.rsplit("}", 1)[-1], attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag):
        return super().end(tag.rsplit("}", 1)[-1])


class _Reader:
    def __init__(self, lines):
        self.lines = lines

    def line(self, element) -> int:
        return self.lines.get(id(element), 0)

    def text(self, element, path: str) -> str:
        found = element.find(path)
        return (found.text or "").strip() if found is not None else ""

    def required(self, element, path: str, what: str):
        found = element.find(path)
        if found is None or not (found.text or "").strip():
            raise StatementError(_("%(what)s is missing.") % {"what": what}, line=self.line(element),
                                 code="missing_element")
        return found

    def amount(self, element) -> Decimal:
        try:
            value = Decimal((element.text or "").strip())
        except InvalidOperation:
            value = None
        if value is None or value < 0 or value != value.quantize(Decimal("0.01")):
            raise StatementError(_("the amount %(value)s is not valid.") % {"value": element.text},
                                 line=self.line(element), code="bad_amount")
        if element.get("Ccy") not in (None, "EUR"):
            raise StatementError(_("only amounts in euro are supported."), line=self.line(element),
                                 code="currency")
        return value

    def date(self, element, path: str) -> datetime.date | None:
        found = element.find(path)
        if found is None:
            return None
        value = (found.text or "").strip()[:10]
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise StatementError(_("the date %(value)s is not valid.") % {"value": value}, line=self.line(found),
                                 code="bad_date") from None


def _parse_xml_fast(content: bytes):
    """The C parser without line numbers: the normal case. A file with a DTD is refused before parsing (no
    DTD means no entity expansion and no external entities); errors are reported by the slow path."""
    from xml.etree.ElementTree import fromstring

    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise DefusedXmlException("DTD")
    root = fromstring(content)
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]
    return root, _Reader({})


def _parse_xml(content: bytes):
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(content)
        root = parser.close()
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        if "no element found" in str(exc) or "unclosed token" in str(exc):
            raise StatementError(_("the XML file ends too early: it is incomplete."), line=line,
                                 code="truncated") from None
        raise StatementError(_("this is not valid XML (%(error)s).") % {"error": str(exc).split(":")[0]},
                             line=line, code="bad_xml") from None
    except DefusedXmlException:
        raise StatementError(_("the XML file contains forbidden constructions (DTD or entities)."),
                             code="forbidden_xml") from None
    return root, _Reader(builder.lines)


def _communication(reader, tx) -> tuple[str, bool]:
    structured = tx.find("RmtInf/Strd/CdtrRefInf/Ref")
    if structured is not None and (structured.text or "").strip():
        value = structured.text.strip()
        if ogm_vcs.is_valid(value):
            value = f"+++{ogm_vcs.format(value)}+++"  # shown as on paper; matching reads any form
        return value, True
    parts = [(u.text or "").strip() for u in tx.findall("RmtInf/Ustrd")]
    return " ".join(p for p in parts if p), False


def _party(reader, tx, credit: bool) -> tuple[str, str, str]:
    """Name, IBAN and BIC of the other party: the debtor of an incoming payment."""
    role, agent = ("Dbtr", "DbtrAgt") if credit else ("Cdtr", "CdtrAgt")
    name = reader.text(tx, f"RltdPties/{role}/Nm") or reader.text(tx, f"RltdPties/{role}/Pty/Nm")
    iban = reader.text(tx, f"RltdPties/{role}Acct/Id/IBAN").replace(" ", "")
    bic = reader.text(tx, f"RltdAgts/{agent}/FinInstnId/BIC") or reader.text(tx, f"RltdAgts/{agent}/FinInstnId/BICFI")
    return name[:200], payer_iban(iban), bic[:11]


def parse_camt053(content: bytes) -> ParsedStatement:
    """Parse fast; when anything is wrong, parse again keeping lines so the error names its line."""
    try:
        return _read_statement(*_parse_xml_fast(content))
    except (StatementError, ParseError, DefusedXmlException):
        return _read_statement(*_parse_xml(content))


def _read_statement(root, reader) -> ParsedStatement:
    if root.tag != "Document" or root.find("BkToCstmrStmt") is None:
        raise StatementError(_("this XML file is not a CAMT.053 bank statement."), line=reader.line(root),
                             code="not_camt053")
    statements = root.findall("BkToCstmrStmt/Stmt")
    if not statements:
        raise StatementError(_("the file contains no statement."), line=reader.line(root), code="empty")
    accounts = set()
    parsed = ParsedStatement(account_iban="")
    for statement in statements:
        account = reader.required(statement, "Acct/Id/IBAN", _("The account (IBAN) of the statement"))
        accounts.add(stdnum_iban.compact(account.text.strip()))
        for entry in statement.findall("Ntry"):
            amount = reader.amount(reader.required(entry, "Amt", _("The amount of an entry")))
            indicator = reader.required(entry, "CdtDbtInd", _("Credit or debit of an entry")).text.strip()
            if indicator not in ("CRDT", "DBIT"):
                raise StatementError(_("credit or debit must be CRDT or DBIT."), line=reader.line(entry),
                                     code="bad_indicator")
            status = reader.text(entry, "Sts") or reader.text(entry, "Sts/Cd")
            if status and status != "BOOK":
                continue  # only booked entries are money on the account
            booking = reader.date(entry, "BookgDt/Dt") or reader.date(entry, "BookgDt/DtTm")
            if booking is None:
                raise StatementError(_("the booking date of an entry is missing."), line=reader.line(entry),
                                     code="missing_element")
            entry_reference = reader.text(entry, "AcctSvcrRef") or reader.text(entry, "NtryRef")
            transactions = entry.findall("NtryDtls/TxDtls")
            credit = indicator == "CRDT"
            if not transactions:
                parsed.lines.append(ParsedLine(
                    booking_date=booking, amount=amount, credit=credit, bank_reference=entry_reference[:100],
                    source_line=reader.line(entry)))
                continue
            batch_total = Decimal(0)
            for tx in transactions:
                tx_amount_element = tx.find("Amt")
                if tx_amount_element is None:
                    tx_amount_element = tx.find("AmtDtls/TxAmt/Amt")
                tx_amount = reader.amount(tx_amount_element) if tx_amount_element is not None else amount
                batch_total += tx_amount
                communication, structured = _communication(reader, tx)
                name, iban, bic = _party(reader, tx, credit)
                reference = (reader.text(tx, "Refs/AcctSvcrRef") or reader.text(tx, "Refs/EndToEndId")
                             or entry_reference)
                parsed.lines.append(ParsedLine(
                    booking_date=booking, amount=tx_amount, credit=credit, communication=communication[:500],
                    structured=structured, payer_name=name, payer_iban=iban, payer_bic=bic,
                    bank_reference=reference[:100], source_line=reader.line(tx)))
            if batch_total != amount:
                raise StatementError(_("the transactions of a batch entry do not add up to its amount."),
                                     line=reader.line(entry), code="checksum")
    if len(accounts) > 1:
        raise StatementError(_("the file holds statements of more than one account."), code="several_accounts")
    parsed.account_iban = accounts.pop()
    return parsed
