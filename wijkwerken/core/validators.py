"""Belgian identifiers, always through python-stdnum: never a hand-written checksum."""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.be import vat as stdnum_be_vat
from stdnum.exceptions import ValidationError as StdnumError


def normalise_kbo(value: str) -> str:
    """Return the enterprise number as 0123.456.789, or raise ValidationError."""
    try:
        number = stdnum_be_vat.validate(value or "")
    except StdnumError:
        raise ValidationError(
            _("This is not a valid enterprise number (KBO). Example: 0123.456.749."), code="invalid_kbo"
        ) from None
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def validate_kbo(value: str) -> None:
    normalise_kbo(value)


def normalise_iban(value: str) -> str:
    """Return the IBAN in groups of four (BE71 0961 2345 6769), or raise ValidationError."""
    try:
        number = stdnum_iban.validate(value or "")
    except StdnumError:
        raise ValidationError(
            _("This is not a valid IBAN. Example: BE71 0961 2345 6769."), code="invalid_iban"
        ) from None
    return stdnum_iban.format(number)


def validate_iban(value: str) -> None:
    normalise_iban(value)


@lru_cache(maxsize=65536)
def iban_checked(value: str) -> str:
    """The IBAN in its compact form (BE71096123456769) when python-stdnum finds it valid, else "".

    Remembered per process: a payout run or a SEPA file checks thousands of IBANs, the same ones every month,
    and python-stdnum's bank-code lookups cost about half a millisecond per IBAN."""
    try:
        return stdnum_iban.validate(value or "")
    except StdnumError:
        return ""


def normalise_bic(value: str) -> str:
    try:
        return stdnum_bic.validate(value or "")
    except StdnumError:
        raise ValidationError(
            _("This is not a valid BIC. Example: GKCCBEBB."), code="invalid_bic"
        ) from None


def validate_bic(value: str) -> None:
    normalise_bic(value)
