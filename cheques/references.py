"""Reading references out of a free-text bank communication, tolerant of how people type them."""

import re

from stdnum.be import ogm_vcs

# 12 digits in groups of 3/4/5, with or without +++ / *** around them, spaces, slashes, dots or dashes between.
_STRUCTURED = re.compile(r"(?<!\d)(\d{3})[\s/.\-]*(\d{4})[\s/.\-]*(\d{5})(?!\d)")
_NUMBER = re.compile(r"(?<!\d)(\d{6,9})(?!\d)")


def normalise_structured_communication(value: str) -> str:
    """The 12 digits of a structured communication typed in any form, or "" when it is not valid."""
    found = structured_communications_in(value)
    return found[0] if len(found) == 1 else ""


def structured_communications_in(text: str) -> list[str]:
    """Every valid structured communication in `text`, in the order they appear, without repeats."""
    found = []
    for match in _STRUCTURED.finditer(text or ""):
        digits = "".join(match.groups())  # 12 digits by the pattern, so only the check digits remain to check
        if ogm_vcs.calc_check_digits(digits[:10]) == digits[10:] and digits not in found:
            found.append(digits)
    return found


def client_numbers_in(text: str) -> list[int]:
    """Numbers that could be a gebruikersnummer (the caller checks which clients exist)."""
    text = _STRUCTURED.sub(" ", text or "")
    return list(dict.fromkeys(int(n) for n in _NUMBER.findall(text)))
