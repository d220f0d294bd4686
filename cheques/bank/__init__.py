"""Bank statement parsers. Each returns a `ParsedStatement` or raises `StatementError` naming the line."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError


class StatementError(Exception):
    """A malformed statement. `line` is the 1-based line in the file (0 when not known)."""

    def __init__(self, message: str, *, line: int = 0, code: str = "malformed"):
        self.message = message
        self.line = line
        self.code = code
        super().__init__(self.display())

    def display(self) -> str:
        if self.line:
            return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass
class ParsedLine:
    """One movement on the account. `amount` is positive; `credit` says money came in."""

    booking_date: datetime.date
    amount: Decimal
    credit: bool
    communication: str = ""
    structured: bool = False
    payer_name: str = ""
    payer_iban: str = ""
    payer_bic: str = ""
    bank_reference: str = ""
    source_line: int = 0


@dataclass
class ParsedStatement:
    """`statement_date` is the date the bank made the statement (None when the file does not say)."""

    account_iban: str
    lines: list[ParsedLine] = field(default_factory=list)
    statement_date: datetime.date | None = None


@lru_cache(maxsize=65536)
def payer_iban(value: str) -> str:
    """The compact IBAN when `value` is a valid one (python-stdnum, mod 97), otherwise "" (payers repeat, so
    the answer is cached)."""
    try:
        return stdnum_iban.validate(value, check_country=False)
    except StdnumError:
        return ""


# Byte order marks of the encodings an XML file may be in (the longer UTF-32 marks before UTF-16's).
_BYTE_ORDER_MARKS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def detect_format(content: bytes) -> str | None:
    """"coda" or "camt053" by the first bytes (an XML file in any encoding with a byte order mark); None
    when it is neither."""
    head = content[:200]
    for mark, encoding in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return "camt053" if head.decode(encoding, "ignore").lstrip("\ufeff").lstrip().startswith("<") else None
    head = head.lstrip()
    if head.startswith(b"<"):
        return "camt053"
    if head[:5] == b"00000":
        return "coda"
    return None


def parse_statement(content: bytes, file_format: str) -> ParsedStatement:
    from .camt import parse_camt053
    from .coda import parse_coda

    if file_format == "coda":
        return parse_coda(content)
    if file_format == "camt053":
        return parse_camt053(content)
    raise StatementError(_("This is neither a CODA nor a CAMT.053 file."), code="unknown_format")
