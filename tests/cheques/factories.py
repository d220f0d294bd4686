"""Factories and helpers for the cheques tests: orders through the real service, statements in real formats."""

import datetime
from decimal import Decimal

from cheques.bank.samples import SampleLine, build_camt053, build_coda
from cheques.services.orders import cheque_order_create
from tests.assignments.factories import ClientFactory, client_with_login

VALID_PAYER_IBAN = "BE62510007547061"


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


__all__ = ["ClientFactory", "client_with_login", "order_for", "credit", "coda_file", "camt_file"]
