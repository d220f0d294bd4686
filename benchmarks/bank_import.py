"""Benchmark: parsing a 10,000-line bank statement versus importing it (checksums, duplicate check, matching,
payments, cheques, audit), for CAMT.053 and CODA. Target: import ≤ 3 × parse.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ww_bench .venv/bin/python benchmarks/bank_import.py [lines]

Needs a migrated database (PostgreSQL for real figures). Everything it creates is rolled back at the end.
The statement mixes what a real account receives: 40 % pays an open order with its structured
communication (most in full, some partially, some typed by hand), 10 % names the gebruikersnummer, 5 % pays
two orders in one transfer, the rest is unrelated money that ends in the queue.
"""

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerken.settings.local")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from stdnum.be import ogm_vcs  # noqa: E402

from assignments.models import Client  # noqa: E402
from assignments.services.clients import structured_communication_for  # noqa: E402
from cheques.bank.samples import SampleLine, build_camt053, build_coda  # noqa: E402
from cheques.models import BankImport, Cheque, ChequeOrder, ImportFormat  # noqa: E402
from cheques.services.bank_import import import_lines, parse_for_organiser  # noqa: E402
from cheques.services.orders import new_order_communication  # noqa: E402
from wijkwerken.core.dates import today  # noqa: E402
from wijkwerken.core.models import Municipality, Organiser, RuleSet  # noqa: E402
from wijkwerken.core.municipalities import sync_flemish_municipalities  # noqa: E402


class Rollback(Exception):
    pass


def _iban(n: int) -> str:
    from stdnum import iban as stdnum_iban

    bban = f"063{n % 10**7:07d}"
    bban += f"{int(bban) % 97 or 97:02d}"
    return "BE" + stdnum_iban.calc_check_digits("BE00" + bban) + bban


def _kbo(n: int) -> str:
    from stdnum.be import vat

    base = f"0{7000000 + n:07d}"
    return next(base + f"{c:02d}" for c in range(100) if vat.is_valid(base + f"{c:02d}"))


def setup(lines: int):
    from wijkwerken.core.models import PostalCode

    if not Municipality.objects.filter(nis_code="24062").exists():
        sync_flemish_municipalities(Municipality, PostalCode)
    organiser = Organiser.objects.create(name="Benchmark", street="Straat 1", postcode="3000", city="Leuven",
                                         kbo_number=_kbo(1), iban="BE71096123456769", bic="GKCCBEBB",
                                         email="bench@example.test")
    RuleSet.objects.create(organiser=organiser, valid_from="2018-01-01")
    municipality = Municipality.objects.get(nis_code="24062")
    Municipality.objects.filter(pk=municipality.pk).update(organiser=organiser)
    first = (Client.objects.order_by("-number").values_list("number", flat=True).first() or 100000) + 1000
    clients = Client.objects.bulk_create([
        Client(organiser=organiser, number=first + i, structured_communication=structured_communication_for(first + i),
               category="vzw", name=f"Vzw Bench {i}", kbo_number=_kbo(10 + i), street="Straat 1", postcode="3000",
               city="Leuven", municipality=municipality, status="actief", agreement_signed_on=today())
        for i in range(lines // 2)])
    orders = ChequeOrder.objects.bulk_create([
        ChequeOrder(organiser=organiser, client=client, structured_communication=new_order_communication(),
                    quantity=10, cheque_price=Decimal("5.95"), cheques_amount=Decimal("59.50"),
                    total=Decimal("59.50"), ordered_on=today(), due_on=today(), cancel_after=today())
        for client in clients])
    return organiser, clients, orders


def statement_lines(clients, orders, lines: int) -> list[SampleLine]:
    result = []
    for n in range(lines):
        kind = n % 20
        order = orders[n % len(orders)]
        client = clients[n % len(clients)]
        payer = {"payer_name": client.name, "payer_iban": _iban(n), "reference": f"B{n:09d}"}
        if kind < 6:
            result.append(SampleLine(amount=order.total, communication=order.structured_communication,
                                     structured=True, **payer))
        elif kind == 6:
            result.append(SampleLine(amount=Decimal("20.00"), communication=order.structured_communication,
                                     structured=True, **payer))
        elif kind == 7:
            result.append(SampleLine(amount=order.total,
                                     communication=f"cheques {ogm_vcs.format(order.structured_communication)}",
                                     **payer))
        elif kind in (8, 9):
            result.append(SampleLine(amount=Decimal("59.50"), communication=f"klant {client.number}", **payer))
        elif kind == 10:
            other = orders[(n + 1) % len(orders)]
            result.append(SampleLine(amount=order.total + other.total,
                                     communication=f"{order.structured_communication} {other.structured_communication}",
                                     **payer))
        else:
            result.append(SampleLine(amount=Decimal(10 + n % 90), communication=f"factuur {n}", **payer))
    return result


def measure(organiser, content: bytes, file_format: str) -> tuple[float, float, dict]:
    start = time.perf_counter()
    parsed = parse_for_organiser(organiser=organiser, content=content, file_format=file_format)
    parse_seconds = time.perf_counter() - start
    bank_import = BankImport.objects.create(organiser=organiser, original_name="bench", file_format=file_format)
    start = time.perf_counter()
    with transaction.atomic():
        parsed = parse_for_organiser(organiser=organiser, content=content, file_format=file_format)
        counts = import_lines(bank_import=bank_import, parsed=parsed, actor=None)
    import_seconds = time.perf_counter() - start
    return parse_seconds, import_seconds, counts


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    figures = []
    for file_format in (ImportFormat.CAMT053, ImportFormat.CODA):
        try:
            with transaction.atomic():
                organiser, clients, orders = setup(lines)
                sample = statement_lines(clients, orders, lines)
                builder = build_camt053 if file_format == ImportFormat.CAMT053 else build_coda
                content = builder(account_iban=organiser.iban, holder=organiser.name, day=today(), lines=sample)
                parse_seconds, import_seconds, counts = measure(organiser, content, file_format)
                cheques = Cheque.objects.filter(organiser=organiser).count()
                figures.append((file_format, len(content), parse_seconds, import_seconds, counts, cheques))
                raise Rollback
        except Rollback:
            pass
    for file_format, size, parse_seconds, import_seconds, counts, cheques in figures:
        print(f"{file_format}: {lines} lines, {size / 1e6:.1f} MB; parse {parse_seconds:.2f} s; "
              f"full import (parse included) {import_seconds:.2f} s = {import_seconds / parse_seconds:.1f} × parse; "
              f"matched {counts['lines_matched']}, queue {counts['lines_unmatched']}, cheques issued {cheques}")


if __name__ == "__main__":
    main()
