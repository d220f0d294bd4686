"""The cheques per organiser and day that the database keeps (ChequeDay) give the money overview's cheque figures
exactly as adding up the cheques does, whatever happens to a cheque: issued, redeemed (on the Brussels day, also
just after midnight), expired, refunded or corrected (a cheque is never deleted: its history cannot be erased).
The services' own paths are checked on a whole generated data set and on the demo in test_money_overview.py."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cheques.models import Cheque, ChequeKind, ChequeStatus
from cheques.overview import FIGURES, Period, figure_of
from tests.cheques.test_settlement import confirmed

pytestmark = pytest.mark.django_db

D = datetime.date
BRUSSELS = ZoneInfo("Europe/Brussels")
PERIODS = [Period(D(2026, 1, 1), D(2026, 12, 31)), Period(D(2026, 3, 1), D(2026, 3, 31)),
           Period(D(2026, 3, 15), D(2026, 3, 15)), Period(D(2026, 3, 16), D(2026, 4, 30)),
           Period(D(2025, 1, 1), D(2026, 3, 14))]


def assert_same_figures(organiser):
    for period in PERIODS:
        for slug, spec in FIGURES.items():
            if spec.daily:
                kept = figure_of(spec, organiser, period, from_days=True)
                assert kept == figure_of(spec, organiser, period, from_days=False), (slug, period, kept)


def cheque(client, serial, issued, value="7.45", **fields):
    return Cheque.objects.create(organiser=client.organiser, client=client, serial=serial, kind=ChequeKind.PAPER,
                                 value=Decimal(value), issued_on=issued,
                                 expires_on=issued + datetime.timedelta(days=365), **fields)


def test_every_change_to_a_cheque_keeps_the_days_equal_to_the_cheques(organiser, make_paid_worker):
    assignment = make_paid_worker()
    client = assignment.client
    prestatie = confirmed(assignment, assignment.start_date)
    first = cheque(client, "T-1", D(2026, 3, 10))
    second = cheque(client, "T-2", D(2026, 3, 10), value="6.45")
    third = cheque(client, "T-3", D(2025, 3, 14), value="5.95")
    fourth = cheque(client, "T-4", D(2026, 1, 5))
    assert_same_figures(organiser)

    # Redeemed at 00:30 on 16 March in Brussels (23:30 UTC on the 15th): it leaves the wallet on the 16th.
    Cheque.objects.filter(pk=first.pk).update(
        status=ChequeStatus.REDEEMED, redeemed_at=datetime.datetime(2026, 3, 16, 0, 30, tzinfo=BRUSSELS),
        prestatie=prestatie)
    # Expired: its last valid day was 14 March 2026, it leaves on the 15th.
    Cheque.objects.filter(pk=third.pk).update(status=ChequeStatus.EXPIRED)
    # Refunded: it leaves on the day it was issued.
    Cheque.objects.filter(pk=second.pk).update(status=ChequeStatus.REFUNDED)
    assert_same_figures(organiser)

    Cheque.objects.filter(pk=fourth.pk).update(value=Decimal("8.00"), issued_on=D(2026, 3, 15),
                                              expires_on=D(2027, 3, 15))  # a correction
    assert_same_figures(organiser)
    opening = figure_of(FIGURES["in-portefeuille-begin"], organiser, PERIODS[3])  # end of 15 March
    # The first (redeemed on the 16th) and the fourth (now issued on the 15th); not the refunded or the expired one.
    assert (opening.count, opening.amount) == (2, Decimal("15.45"))

