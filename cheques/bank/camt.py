"""CAMT.053 (ISO 20022 BankToCustomerStatement), any version 001.02 to 001.13. Every entry and every
transaction in a batch entry becomes one line.

Read once with lxml, which keeps every element's line for the error messages. No DTD and no entity is ever
used, whatever the file's encoding: the parser neither loads external DTDs nor substitutes entities nor goes
on the network, and a file that declares a DTD at all (where entities live) is refused after libxml2 decoded
it, so a UTF-16 file is judged like a UTF-8 one.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs

from . import ParsedLine, ParsedStatement, StatementError, payer_iban

# The code of the Belgian structured communication in a CAMT creditor reference (Febelfin: SCOR, issued by BBA).
_BELGIAN_REFERENCE_ISSUER = "BBA"
_ENTITY_ERRORS = {getattr(etree.ErrorTypes, name) for name in (
    "ERR_UNDECLARED_ENTITY", "WAR_UNDECLARED_ENTITY", "ERR_ENTITY_LOOP", "ERR_RESOURCE_LIMIT", "ERR_ENTITY_PROCESSING",
    "ERR_ENTITY_IS_EXTERNAL", "ERR_ENTITY_IS_PARAMETER", "ERR_UNPARSED_ENTITY", "ERR_EXT_ENTITY_STANDALONE",
    "ERR_ENTITYREF_IN_DTD", "ERR_ENTITY_PE_INTERNAL")}
# What a missing element is called in the error (lazy: translated only when a file lacks one).
_ACCOUNT = gettext_lazy("The account (IBAN) of the statement")
_ENTRY_AMOUNT = gettext_lazy("The amount of an entry")
_ENTRY_INDICATOR = gettext_lazy("Credit or debit of an entry")


def _parser() -> etree.XMLParser:
    """A new parser per file (its error log is its own): no DTD loading, no entities, no network, the
    default depth and size limits (no huge_tree), comments and processing instructions dropped."""
    return etree.XMLParser(resolve_entities=False, load_dtd=False, dtd_validation=False, no_network=True,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _refuse_entities(error: etree.XMLSyntaxError) -> None:
    """libxml2 refuses some entity tricks itself (an undeclared entity, a loop, the amplification of a
    "billion laughs" file) before the DTD check below could: those are forbidden constructions too."""
    if error.code in _ENTITY_ERRORS:
        raise StatementError(_("the XML file contains forbidden constructions (DTD or entities)."),
                             line=error.lineno or 0, code="forbidden_xml") from None


def _parse_xml(content: bytes):
    """The root element. The whole file is fed to the parser first: an error then is in the file itself; an
    error only when the parser is closed means the file stopped before the document was complete."""
    parser = _parser()
    try:
        parser.feed(content)
    except etree.XMLSyntaxError as error:
        _refuse_entities(error)
        detail = (error.msg or "").split(",")[0].strip()
        raise StatementError(_("this is not valid XML (%(error)s).") % {"error": detail}, line=error.lineno or 0,
                             code="bad_xml") from None
    try:
        root = parser.close()
    except etree.XMLSyntaxError as error:
        _refuse_entities(error)
        raise StatementError(_("the XML file ends too early: it is incomplete."), line=error.lineno or 0,
                             code="truncated") from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise StatementError(_("the XML file contains forbidden constructions (DTD or entities)."),
                             line=1, code="forbidden_xml")
    return root


class _Reader:
    """Finds elements by paths written without namespace ("Acct/Id/IBAN") in the document's namespace."""

    def __init__(self, root):
        namespace = etree.QName(root).namespace
        self.prefix = f"{{{namespace}}}" if namespace else ""
        self.paths = {}

    def path(self, path: str) -> str:
        found = self.paths.get(path)
        if found is None:
            found = self.paths[path] = "/".join(self.prefix + part for part in path.split("/"))
        return found

    def local(self, element) -> str:
        return element.tag[len(self.prefix):] if element.tag.startswith(self.prefix) else element.tag

    @staticmethod
    def line(element) -> int:
        return element.sourceline or 0

    def find(self, element, path: str):
        return element.find(self.path(path))

    def findall(self, element, path: str):
        return element.findall(self.path(path))

    def text(self, element, path: str) -> str:
        found = element.find(self.path(path))
        return (found.text or "").strip() if found is not None else ""

    def required(self, element, path: str, what: str):
        found = element.find(self.path(path))
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
        found = element.find(self.path(path))
        if found is None:
            return None
        value = (found.text or "").strip()[:10]
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise StatementError(_("the date %(value)s is not valid.") % {"value": value}, line=self.line(found),
                                 code="bad_date") from None


def _communication(reader: _Reader, tx) -> tuple[str, bool]:
    """The communication and whether it is a Belgian structured communication (+++123/4567/89012+++).

    Only a creditor reference that is a valid structured communication is one. Any other reference (an
    ISO 11649 RF reference, a card payment's terminal data) and every free text stay as the bank wrote them.
    """
    free = [(u.text or "").strip() for u in reader.findall(tx, "RmtInf/Ustrd")]
    free += [(u.text or "").strip() for u in reader.findall(tx, "RmtInf/Strd/AddtlRmtInf")]
    free_text = " ".join(part for part in free if part)
    reference = reader.text(tx, "RmtInf/Strd/CdtrRefInf/Ref")
    if reference:
        issuer = reader.text(tx, "RmtInf/Strd/CdtrRefInf/Tp/Issr")
        if issuer in ("", _BELGIAN_REFERENCE_ISSUER) and ogm_vcs.is_valid(reference):
            return f"+++{ogm_vcs.format(reference)}+++", True  # shown as on paper; matching reads any form
        return " ".join(part for part in (reference, free_text) if part), False
    return free_text, False


def _party(reader: _Reader, tx, credit: bool) -> tuple[str, str, str]:
    """Name, IBAN and BIC of the other party: the debtor of an incoming payment."""
    role, agent = ("Dbtr", "DbtrAgt") if credit else ("Cdtr", "CdtrAgt")
    name = reader.text(tx, f"RltdPties/{role}/Nm") or reader.text(tx, f"RltdPties/{role}/Pty/Nm")
    iban = reader.text(tx, f"RltdPties/{role}Acct/Id/IBAN").replace(" ", "")
    bic = reader.text(tx, f"RltdAgts/{agent}/FinInstnId/BIC") or reader.text(tx, f"RltdAgts/{agent}/FinInstnId/BICFI")
    return name[:200], payer_iban(iban), bic[:11]


def parse_camt053(content: bytes) -> ParsedStatement:
    root = _parse_xml(content)
    reader = _Reader(root)
    if reader.local(root) != "Document" or reader.find(root, "BkToCstmrStmt") is None:
        raise StatementError(_("this XML file is not a CAMT.053 bank statement."), line=reader.line(root),
                             code="not_camt053")
    statements = reader.findall(root, "BkToCstmrStmt/Stmt")
    if not statements:
        raise StatementError(_("the file contains no statement."), line=reader.line(root), code="empty")
    accounts = set()
    parsed = ParsedStatement(account_iban="")
    for statement in statements:
        account = reader.required(statement, "Acct/Id/IBAN", _ACCOUNT)
        accounts.add(stdnum_iban.compact(account.text.strip()))
        created = reader.date(statement, "CreDtTm")
        if created and (parsed.statement_date is None or created > parsed.statement_date):
            parsed.statement_date = created
        for entry in reader.findall(statement, "Ntry"):
            amount = reader.amount(reader.required(entry, "Amt", _ENTRY_AMOUNT))
            indicator = reader.required(entry, "CdtDbtInd", _ENTRY_INDICATOR).text.strip()
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
            transactions = reader.findall(entry, "NtryDtls/TxDtls")
            credit = indicator == "CRDT"
            if not transactions:
                parsed.lines.append(ParsedLine(
                    booking_date=booking, amount=amount, credit=credit, bank_reference=entry_reference[:100],
                    source_line=reader.line(entry)))
                continue
            batch_total = Decimal(0)
            for tx in transactions:
                tx_amount_element = reader.find(tx, "Amt")
                if tx_amount_element is None:
                    tx_amount_element = reader.find(tx, "AmtDtls/TxAmt/Amt")
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
