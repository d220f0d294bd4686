import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.core.factories import ChequePriceFactory, RuleSetFactory
from wijkwerken.core.models import AuditEntry, ChequePrice, RuleSet
from wijkwerken.core.rules import cheque_price_on, rules_for
from wijkwerken.core.services import cheque_price_set, rule_set_create

BRUSSELS = ZoneInfo("Europe/Brussels")

pytestmark = pytest.mark.django_db


def test_defaults_are_the_legal_values(organiser, leuven):
    rules = rules_for(municipality=leuven, on=datetime.date(2026, 5, 1))
    assert rules.max_hours_per_month == 60
    assert rules.max_hours_per_year == 630
    assert rules.trajectory_planned_months == 6
    assert rules.trajectory_max_months == 12
    assert rules.worker_allowance_per_cheque == Decimal("4.10")
    assert rules.travel_allowance_per_km == Decimal("0.15")
    assert rules.travel_allowance_min_km == 10
    assert rules.registration_fee == Decimal("7.50")
    assert rules.cheque_validity_months == 12
    assert rules.interim_max_days == 10 and rules.interim_period_days == 28
    assert rules.cheque_price == Decimal("5.95")


def test_allowed_prices_are_the_legal_steps():
    assert RuleSet().allowed_cheque_prices() == [Decimal("5.95"), Decimal("6.45"), Decimal("6.95"), Decimal("7.45")]


def test_lookup_takes_the_version_valid_on_the_date(organiser):
    RuleSetFactory(organiser=organiser, valid_from=datetime.date(2027, 1, 1), max_hours_per_month=50)
    assert rules_for(organiser=organiser, on=datetime.date(2026, 12, 31)).max_hours_per_month == 60
    assert rules_for(organiser=organiser, on=datetime.date(2027, 1, 1)).max_hours_per_month == 50
    assert rules_for(organiser=organiser, on=datetime.date(2030, 6, 1)).max_hours_per_month == 50


def test_lookup_before_any_version_gives_legal_defaults(other_organiser):
    RuleSet.objects.filter(organiser=other_organiser).delete()
    assert rules_for(organiser=other_organiser, on=datetime.date(2019, 1, 1)).max_hours_per_year == 630


@time_machine.travel(datetime.datetime(2026, 10, 15, 12, 0), tick=False)
def test_price_decision_applies_from_1_january_next_year(leuven, beheerder):
    decision = cheque_price_set(municipality=leuven, price=Decimal("6.95"),
                                decided_on=datetime.date(2026, 10, 14), actor=beheerder)
    assert decision.valid_from == datetime.date(2027, 1, 1)
    assert cheque_price_on(municipality=leuven, on=datetime.date(2026, 12, 31)) == Decimal("5.95")
    assert cheque_price_on(municipality=leuven, on=datetime.date(2027, 1, 1)) == Decimal("6.95")
    entry = AuditEntry.objects.get(action="cheque_price.set")
    assert entry.actor == beheerder and entry.object_id == str(leuven.pk)


@time_machine.travel(datetime.datetime(2026, 10, 15, 12, 0), tick=False)
@pytest.mark.parametrize("price", ["6.00", "5.45", "7.95", "0", "6.449"])
def test_price_outside_the_steps_is_refused(leuven, beheerder, price):
    with pytest.raises(ValidationError) as error:
        cheque_price_set(municipality=leuven, price=Decimal(price), decided_on=datetime.date(2026, 10, 1),
                         actor=beheerder)
    assert error.value.code == "price_not_a_step"
    assert not ChequePrice.objects.exists()
    assert not AuditEntry.objects.exists()


@time_machine.travel(datetime.datetime(2026, 10, 15, 12, 0), tick=False)
def test_second_decision_in_the_same_year_replaces_the_first(leuven, beheerder):
    cheque_price_set(municipality=leuven, price=Decimal("6.95"), decided_on=datetime.date(2026, 3, 1),
                     actor=beheerder)
    cheque_price_set(municipality=leuven, price=Decimal("6.45"), decided_on=datetime.date(2026, 10, 1),
                     actor=beheerder)
    assert list(ChequePrice.objects.values_list("price", flat=True)) == [Decimal("6.45")]


@time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=BRUSSELS), tick=False)
def test_decision_on_31_december_applies_the_next_day(leuven, beheerder):
    decision = cheque_price_set(municipality=leuven, price=Decimal("7.45"), decided_on=datetime.date(2026, 12, 31),
                                actor=beheerder)
    assert decision.valid_from == datetime.date(2027, 1, 1)


@time_machine.travel(datetime.datetime(2026, 10, 15, 12, 0), tick=False)
def test_decision_dated_in_a_past_year_is_refused(leuven, beheerder):
    with pytest.raises(ValidationError) as error:
        cheque_price_set(municipality=leuven, price=Decimal("6.45"), decided_on=datetime.date(2025, 6, 1),
                         actor=beheerder)
    assert error.value.code == "decided_in_past"


def test_database_refuses_a_price_not_starting_on_1_january(leuven):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ChequePrice.objects.create(municipality=leuven, price=Decimal("6.45"), decided_on=datetime.date(2025, 1, 1),
                                   valid_from=datetime.date(2025, 3, 1))


def test_without_consensus_the_lowest_price_applies(organiser, leuven, herent):
    ChequePriceFactory(municipality=leuven, price=Decimal("6.95"))
    ChequePriceFactory(municipality=herent, price=Decimal("6.45"))
    on = datetime.date(2025, 6, 1)
    assert cheque_price_on(municipality=leuven, on=on) == Decimal("6.95")
    organiser.lowest_price_applies = True
    organiser.save()
    leuven.refresh_from_db()
    assert cheque_price_on(municipality=leuven, on=on) == Decimal("6.45")


@time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0), tick=False)
def test_new_rule_version_cannot_start_in_the_past(organiser, beheerder):
    with pytest.raises(ValidationError) as error:
        rule_set_create(organiser=organiser, valid_from=datetime.date(2026, 11, 1), values={}, note="x",
                        actor=beheerder)
    assert error.value.error_dict["valid_from"][0].code == "valid_from_in_past"


@time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0), tick=False)
def test_new_rule_version_is_audited_with_its_changes(organiser, beheerder):
    rule_set = rule_set_create(organiser=organiser, valid_from=datetime.date(2027, 1, 1),
                               values={"max_hours_per_month": 50}, note="Samenlevingsjobs", actor=beheerder)
    entry = AuditEntry.objects.for_object(rule_set).get()
    assert entry.changes == {"max_hours_per_month": [60, 50]}


@time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0), tick=False)
def test_inconsistent_rules_are_refused(organiser, beheerder):
    with pytest.raises(ValidationError) as error:
        rule_set_create(organiser=organiser, valid_from=datetime.date(2027, 1, 1),
                        values={"max_hours_per_month": 700}, note="typo", actor=beheerder)
    assert "max_hours_per_month" in error.value.message_dict
    assert RuleSet.objects.filter(organiser=organiser).count() == 1
