"""Rijksregisternummer and BIS number, always through python-stdnum: never a hand-written checksum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.be import bis, nn
from stdnum.exceptions import ValidationError as StdnumError


def normalise_national_number(value: str) -> str:
    """The 11 digits of a valid rijksregisternummer or BIS number, or a ValidationError.

    stdnum checks the mod-97 with and without the "2" prefix used for people born in or after 2000.
    """
    for scheme in (nn, bis):
        try:
            return scheme.validate(value or "")
        except StdnumError:
            continue
    raise ValidationError(
        _("This is not a valid national register number or BIS number. Example: 85.07.30-033.28."),
        code="invalid_national_number",
    )


def validate_national_number(value: str) -> None:
    normalise_national_number(value)


def format_national_number(value: str) -> str:
    """85.07.30-033.28 (the same layout for BIS numbers)."""
    return nn.format(value) if value else ""


def mask_national_number(value: str) -> str:
    """Only the check digits stay visible: ••.••.••-•••.28."""
    if not value:
        return ""
    return "••.••.••-•••." + value[-2:]


def is_bis_number(value: str) -> bool:
    return bool(value) and bis.is_valid(value) and not nn.is_valid(value)
