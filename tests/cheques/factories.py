"""Factories and helpers for the cheques tests: orders through the real service, statements in real formats."""

import datetime
from decimal import Decimal

from cheques.bank.samples import SampleLine, build_camt053, build_coda
from cheques.services.orders import cheque_order_create
from tests.assignments.factories import ClientFactory, client_with_login
from wijkwerken.core.dates import add_months, today

VALID_PAYER_IBAN = "BE62510007547061"

# The months a payout test pays: always in the past, whatever day the tests run.
THIS_MONTH = today().replace(day=1)
LAST_MONTH = add_months(THIS_MONTH, -1)
MONTH_BEFORE = add_months(THIS_MONTH, -2)


def day_of(month, day):
    return month.replace(day=day)


def order_for(client, quantity=10, actor=None):
    return cheque_order_create(client=client, quantity=quantity, actor=actor)


def credit(amount, communication="", *, structured=False, name="Jan Peeters", iban=VALID_PAYER_IBAN, reference=""):
    return SampleLine(amount=Decimal(amount), payer_name=name, payer_iban=iban, payer_bic="GEBABEBB",
                      communication=communication, structured=structured, reference=reference)


def coda_file(organiser, lines, day=None):
    return build_coda(account_iban=organiser.iban, holder=organiser.name, day=day or datetime.date.today(),
                      lines=lines)


def camt_file(organiser, lines, day=None):
    return build_camt053(account_iban=organiser.iban, holder=organiser.name, day=day or datetime.date.today(),
                         lines=lines)


def worker_iban(n: int) -> str:
    """A valid Belgian IBAN for test worker `n` (the check digits by python-stdnum)."""
    from stdnum import iban as stdnum_iban

    bban = f"063{n % 10**7:07d}"
    bban += f"{int(bban) % 97 or 97:02d}"
    return stdnum_iban.format("BE" + stdnum_iban.calc_check_digits("BE00" + bban) + bban)


def paid_prestatie(assignment, day, *, minutes=60, kilometres="0", settle=True):
    """A confirmed prestatie of `assignment` on `day`, paid with paper cheques put in the client's wallet for it
    (through the real settlement), or waiting for cheques when `settle` is False (an empty wallet)."""
    from cheques.services.settlement import prestaties_settle
    from tests.cheques.test_settlement import confirmed, give_cheques

    prestatie = confirmed(assignment, day, minutes=minutes)
    if Decimal(kilometres):
        type(prestatie).objects.filter(pk=prestatie.pk).update(kilometres=Decimal(kilometres))
        prestatie.refresh_from_db()
    if settle:
        give_cheques(assignment.client, prestatie.cheques)
    prestaties_settle(prestatie_ids=[prestatie.pk])
    return prestatie


__all__ = ["ClientFactory", "client_with_login", "order_for", "credit", "coda_file", "camt_file", "worker_iban",
           "paid_prestatie", "THIS_MONTH", "LAST_MONTH", "MONTH_BEFORE", "day_of"]
