"""The one lookup for the rules: `rules_for(municipality=..., on=...)`. Everything that needs a number asks here."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .dates import today
from .models import ChequePrice, Municipality, Organiser, RuleSet


@dataclass(frozen=True)
class Rules:
    """The rules valid on `on`, for `municipality` (or the whole organiser). Rule attributes read through."""

    rule_set: RuleSet
    cheque_price: Decimal
    on: datetime.date
    municipality: Municipality | None = None

    def __getattr__(self, name):
        if name in RuleSet.RULE_FIELDS:
            return getattr(self.rule_set, name)
        raise AttributeError(name)


def rule_set_on(*, organiser: Organiser, on: datetime.date) -> RuleSet:
    """The organiser's version valid on `on`; the legal defaults (unsaved) before the first version."""
    rule_set = RuleSet.objects.filter(organiser=organiser, valid_from__lte=on).order_by("-valid_from").first()
    return rule_set or RuleSet(organiser=organiser, valid_from=datetime.date(2018, 1, 1))


def cheque_price_on(*, municipality: Municipality, on: datetime.date, rule_set: RuleSet | None = None) -> Decimal:
    """The price of one cheque in `municipality` on `on`.

    Without a decision the legal minimum applies. An organiser whose municipalities did not agree on one
    price (`lowest_price_applies`) charges the lowest price of its municipalities everywhere.
    """
    organiser = municipality.organiser
    rule_set = rule_set or rule_set_on(organiser=organiser, on=on)
    if organiser is not None and organiser.lowest_price_applies:
        municipality_ids = list(organiser.municipalities.values_list("id", flat=True))
    else:
        municipality_ids = [municipality.id]
    prices = []
    for municipality_id in municipality_ids:
        decision = (
            ChequePrice.objects.filter(municipality_id=municipality_id, valid_from__lte=on)
            .order_by("-valid_from")
            .values_list("price", flat=True)
            .first()
        )
        prices.append(decision if decision is not None else rule_set.cheque_price_min)
    return min(prices)


def rules_for(*, municipality: Municipality | None = None, organiser: Organiser | None = None, on=None) -> Rules:
    on = on or today()
    organiser = organiser or municipality.organiser
    rule_set = rule_set_on(organiser=organiser, on=on)
    price = (
        cheque_price_on(municipality=municipality, on=on, rule_set=rule_set)
        if municipality is not None
        else rule_set.cheque_price_min
    )
    return Rules(rule_set=rule_set, cheque_price=price, on=on, municipality=municipality)
