"""The one lookup for the rules: `rules_for(municipality=..., on=...)`. Everything that needs a number asks here."""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from .dates import add_months, today
from .models import ChequePrice, Municipality, Organiser, PayoutDate, RuleSet


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


def cheques_for_minutes(minutes: int, minutes_per_cheque: int = 60) -> int:
    """One cheque per started hour (BVR 29 September 2017): 60 minutes = 1 cheque, 61 minutes = 2.

    `minutes_per_cheque` is the rule set's `minutes_per_cheque` valid on the prestatie's date.
    """
    return math.ceil(minutes / minutes_per_cheque)


WIJK_WERKEN_START = datetime.date(2018, 1, 1)  # the decree of 7 July 2017 took effect


def rule_set_on(*, organiser: Organiser, on: datetime.date) -> RuleSet:
    """The organiser's version valid on `on`; the legal defaults (unsaved) before the first version."""
    rule_set = RuleSet.objects.filter(organiser=organiser, valid_from__lte=on).order_by("-valid_from").first()
    return rule_set or RuleSet(organiser=organiser, valid_from=WIJK_WERKEN_START)


def retention_cutoff(*, rule_set: RuleSet, on: datetime.date) -> datetime.date:
    """The latest end date whose personal data are anonymised on `on`: a relation that ended on or before it ended
    `retention_years` ago (ended 15 March 2025, five years: anonymised from 15 March 2030; ended 29 February 2024:
    from 1 March 2029)."""
    return add_months(on, -12 * rule_set.retention_years)


def organiser_started_on(organiser: Organiser) -> datetime.date:
    """The day the organiser's work starts: its first rule set, or the start of wijk-werken without one."""
    first = RuleSet.objects.filter(organiser=organiser).order_by("valid_from").values_list("valid_from", flat=True)
    return first.first() or WIJK_WERKEN_START


def _decided_prices(municipality_ids, on: datetime.date) -> dict[int, Decimal]:
    """{municipality id: price of the latest decision in force on `on`}, in one query."""
    prices = {}
    for municipality_id, price in (ChequePrice.objects.filter(municipality_id__in=municipality_ids, valid_from__lte=on)
                                   .order_by("municipality_id", "-valid_from").values_list("municipality_id", "price")):
        prices.setdefault(municipality_id, price)
    return prices


def cheque_prices_on(*, municipalities, on: datetime.date, rule_set: RuleSet) -> dict[int, Decimal]:
    """The price of one cheque on `on` in each of `municipalities` (of one organiser), in one query.

    Without a decision the legal minimum applies. An organiser whose municipalities did not agree on one
    price (`lowest_price_applies`) charges the lowest price of its municipalities everywhere.
    """
    municipalities = list(municipalities)
    if not municipalities:
        return {}
    organiser = municipalities[0].organiser
    lowest = organiser is not None and organiser.lowest_price_applies
    ids = (list(organiser.municipalities.values_list("id", flat=True)) if lowest
           else [m.id for m in municipalities])
    decided = _decided_prices(ids, on)
    prices = {municipality_id: decided.get(municipality_id, rule_set.cheque_price_min) for municipality_id in ids}
    if lowest:
        return dict.fromkeys((m.id for m in municipalities), min(prices.values()))
    return prices


def cheque_price_on(*, municipality: Municipality, on: datetime.date, rule_set: RuleSet | None = None) -> Decimal:
    """The price of one cheque in `municipality` on `on` (see `cheque_prices_on`)."""
    rule_set = rule_set or rule_set_on(organiser=municipality.organiser, on=on)
    return cheque_prices_on(municipalities=[municipality], on=on, rule_set=rule_set)[municipality.id]


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


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def payout_date_for(*, organiser: Organiser, month: datetime.date) -> datetime.date | None:
    """The payment date the organiser's calendar sets for the work of `month` (None when it sets none)."""
    return (PayoutDate.objects.filter(organiser=organiser, month=month_start(month))
            .values_list("pays_on", flat=True).first())


def next_payout_date(*, organiser: Organiser, on: datetime.date | None = None) -> PayoutDate | None:
    """The first payment date of the calendar on or after `on` (today)."""
    return PayoutDate.objects.filter(organiser=organiser, pays_on__gte=on or today()).order_by("pays_on").first()
