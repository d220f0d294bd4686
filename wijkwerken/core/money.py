"""Money is Decimal with two places, rounded half up in exactly one place."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_euro(value) -> str:
    """€ 1.234,56 — the Belgian way."""
    amount = round_money(value)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}€ {'.'.join(groups)},{cents}"
