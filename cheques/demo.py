"""Demo data: paid orders filling most demo clients' wallets (paid through an imported statement, so every
euro is traceable), open orders waiting for payment, and two sample statements under MEDIA_ROOT (`demo/`) —
one CODA and one CAMT.053 — that pay some of those open orders, so a new user can try the bank import.
The confirmed demo hours are then settled from the wallets; the demo client's newest ones wait for cheques.
Then the payouts: a payment calendar, kilometres on some hours, last month's payout confirmed and carried out
(its debit on an imported statement), and for this month's preview a worker without an IBAN whose pay was
kept out of last month's, and kilometres corrected after last month's payment.

Safe to run again: a client with a demo order keeps it; open demo orders have fixed structured
communications, and the sample files are written from them (the same data gives the same files).
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from stdnum.be import ogm_vcs

from assignments.models import Client, ClientStatus, Prestatie, PrestatieStatus
from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import add_months, today

from .bank.samples import SampleLine, build_camt053, build_coda
from .models import (
    MAX_ORDER_QUANTITY,
    MIN_ORDER_QUANTITY,
    OPEN_ORDER_STATUSES,
    BankImport,
    Cheque,
    ChequeOrder,
    OrderStatus,
    Payment,
    PayoutBatch,
)
from .services.bank_import import bank_import_create, bank_import_process
from .services.cheques import cheques_issue_for_orders
from .services.orders import cheque_order_create
from .services.payouts import payout_batch_confirm, payout_preview
from .services.settlement import clients_settle, unsettled_clients

# Written under MEDIA_ROOT, never into the source tree (`cheques/demo_files/` holds fixed sample files).
DEMO_FILES = Path(settings.MEDIA_ROOT) / "demo"
CODA_FILE = DEMO_FILES / "demo-uittreksel.cod"
CAMT_FILE = DEMO_FILES / "demo-uittreksel-camt053.xml"
DEMO_CLIENT_EMAIL = "gebruiker@demo.wijkwerken.be"
DEMO_WORKER_EMAIL = "wijkwerker@demo.wijkwerken.be"
HISTORY_FILE_NAME = "demo-historiek.cod"


def _communication(n: int) -> str:
    base = f"90000{n:05d}"
    return base + ogm_vcs.calc_check_digits(base)


def _iban(n: int) -> str:
    """A valid Belgian IBAN for demo payer `n` (national mod-97 and IBAN check digits by python-stdnum)."""
    from stdnum import iban as stdnum_iban

    bban = f"063{n % 10**7:07d}"
    bban += f"{int(bban) % 97 or 97:02d}"
    return "BE" + stdnum_iban.calc_check_digits("BE00" + bban) + bban


def seed(organiser, stdout) -> None:
    staff = User.objects.filter(organiser=organiser, role=Role.BEMIDDELAAR).order_by("pk").first()
    clients = list(Client.objects.filter(organiser=organiser).exclude(status=ClientStatus.STOPPED)
                   .select_related("municipality").order_by("name"))
    if not clients:
        stdout.write("  cheques: no demo clients, nothing to do")
        return
    paid = _seed_paid_orders(organiser, clients, staff)
    open_orders = _seed_open_orders(clients)
    _write_sample_files(organiser, open_orders)
    settled = clients_settle(client_ids=unsettled_clients(organiser_id=organiser.pk))
    stdout.write(f"  cheques: {paid} paid demo orders added, {len(open_orders)} open demo orders, "
                 f"{Cheque.objects.filter(organiser=organiser).count()} cheques in wallets; "
                 f"{settled.paid} prestaties settled, {settled.waiting} waiting for cheques; "
                 f"sample statements in {DEMO_FILES}/")
    credits = _seed_credits(organiser, clients, staff)
    stdout.write(f"  cheques: {credits} demo clients given credit (to use for an order or to refund)")
    stdout.write(f"  cheques: {_seed_payouts(organiser, staff)}")


def _seed_paid_orders(organiser, clients, staff) -> int:
    """Most clients (all but every fifth without confirmed hours) get a paid order; paid through one imported
    statement, once (its file name marks it: later demo clients do not shift who is funded)."""
    if BankImport.objects.filter(organiser=organiser, original_name=HISTORY_FILE_NAME).exists():
        return 0
    funded = [c for i, c in enumerate(clients) if i % 5 != 4 or c.contacts.filter(user__email=DEMO_CLIENT_EMAIL)
              or c.prestaties.filter(status=PrestatieStatus.CONFIRMED).exists()]
    todo = [c for c in funded if not ChequeOrder.objects.filter(client=c, status=OrderStatus.PAID).exists()]
    if not todo:
        return 0
    orders = [cheque_order_create(client=c, quantity=_demo_quantity(c, i), actor=staff, confirmation_now=False)
              for i, c in enumerate(todo)]
    paid_on = today() - datetime.timedelta(days=40)
    lines = [SampleLine(amount=o.total, payer_name=o.client.name[:35], payer_iban=_iban(o.client.number),
                        communication=o.structured_communication, structured=True, reference=f"HIST{o.pk:08d}")
             for o in orders]
    content = build_coda(account_iban=organiser.iban, holder=organiser.name, day=paid_on, lines=lines)
    bank_import = bank_import_create(organiser=organiser, actor=staff,
                                     uploaded_file=SimpleUploadedFile(HISTORY_FILE_NAME, content))
    bank_import_process(bank_import_id=bank_import.pk)
    ids = [o.pk for o in orders]
    # The cheques of a paid order are issued after the payment's commit; the demo needs them now, to backdate
    # them and to settle and pay out the demo hours with them (the task finds them issued and does nothing).
    cheques_issue_for_orders(order_ids=ids, actor=staff)
    # Backdate the history so the demo looks lived in (demo only; services always use today's date).
    ordered_on = paid_on - datetime.timedelta(days=3)
    ChequeOrder.objects.filter(pk__in=ids).update(
        ordered_on=ordered_on, due_on=ordered_on + datetime.timedelta(days=14),
        cancel_after=ordered_on + datetime.timedelta(days=24))
    Payment.objects.filter(order_id__in=ids).update(received_on=paid_on)
    Cheque.objects.filter(order_id__in=ids).update(issued_on=paid_on, expires_on=add_months(paid_on, 12))
    # A few cheques of one client expire soon, so the wallet shows the warning.
    soon = Cheque.objects.filter(order_id=ids[0]).order_by("sequence")[:3]
    Cheque.objects.filter(pk__in=[c.pk for c in soon]).update(expires_on=today() + datetime.timedelta(days=20))
    return len(orders)


def _demo_quantity(client, index: int) -> int:
    """Enough for the client's confirmed demo hours and some to spare; the demo client's wallet falls four
    cheques short, so its newest confirmed hours wait as "te betalen" and it can try ordering the rest."""
    needed = (Prestatie.objects.filter(client=client, status=PrestatieStatus.CONFIRMED)
              .aggregate(total=Sum("cheques"))["total"] or 0)
    if needed and client.contacts.filter(user__email=DEMO_CLIENT_EMAIL).exists():
        return min(max(needed - 4, MIN_ORDER_QUANTITY), MAX_ORDER_QUANTITY)
    return min(needed + 10 + (index % 3) * 5, MAX_ORDER_QUANTITY)


# (client index in name order, quantity, demo communication number)
OPEN_ORDERS = [(0, 10, 101), (2, 6, 102), (4, 20, 103), (6, 8, 104), (8, 12, 105), (10, 5, 106),
               (12, 4, 107), (14, 3, 108)]


def _seed_open_orders(clients) -> list[ChequeOrder]:
    open_orders = []
    demo_client = next((c for c in clients if c.contacts.filter(user__email=DEMO_CLIENT_EMAIL).exists()), None)
    others = [c for c in clients if c != demo_client]
    for index, quantity, number in OPEN_ORDERS:
        if index >= len(others):
            continue
        communication = _communication(number)
        order = ChequeOrder.objects.filter(structured_communication=communication).first()
        if order is None:
            order = cheque_order_create(client=others[index], quantity=quantity, actor=None,
                                        communication=communication)
        open_orders.append(order)
    if demo_client and not ChequeOrder.objects.filter(client=demo_client, status=OrderStatus.OPEN).exists():
        cheque_order_create(client=demo_client, quantity=5, actor=None)
    return open_orders


def _write_sample_files(organiser, orders) -> None:
    """CODA: exact structured, free-typed, partial, one for the queue (suggestion), bank costs.
    CAMT.053: overpayment, gebruikersnummer, one transfer for two orders, one unrelated transfer."""
    if len(orders) < 8:
        return
    DEMO_FILES.mkdir(parents=True, exist_ok=True)
    day = today()
    a, b, c, d, e, f, g, h = orders[:8]

    def line(order, amount, communication, structured=False, ref=""):
        return SampleLine(amount=amount, payer_name=order.client.name[:35], payer_iban=_iban(order.client.number),
                          payer_bic="GEBABEBB", communication=communication, structured=structured, reference=ref)

    coda = [
        line(a, a.total, a.structured_communication, structured=True, ref="DEMO0001"),
        line(b, b.total, f"cheques {ogm_vcs.format(b.structured_communication).replace('/', ' ')}", ref="DEMO0002"),
        line(c, (c.total / 2).quantize(Decimal("0.01")), f"+++{ogm_vcs.format(c.structured_communication)}+++",
             ref="DEMO0003"),
        line(d, d.total, "wijk-werkcheques", ref="DEMO0004"),
        SampleLine(amount=Decimal("2.50"), payer_name="KBC Bank", communication="Beheerskosten rekening",
                   credit=False, reference="DEMO0005"),
    ]
    camt = [
        line(e, e.total + Decimal("5.00"), e.structured_communication, structured=True, ref="DEMO0101"),
        line(f, f.total, f"klantnummer {f.client.number}", ref="DEMO0102"),
        line(g, g.total + h.total, f"{g.structured_communication_display} en {h.structured_communication_display}",
             ref="DEMO0103"),
        SampleLine(amount=Decimal("75.00"), payer_name="Feestcomite Wijgmaal", payer_iban=_iban(999999),
                   communication="Huur zaal 12/12", reference="DEMO0104"),
    ]
    CODA_FILE.write_bytes(build_coda(account_iban=organiser.iban, holder=organiser.name, day=day, lines=coda))
    CAMT_FILE.write_bytes(build_camt053(account_iban=organiser.iban, holder=organiser.name, day=day, lines=camt,
                                        statement_id=f"DEMO-{day:%Y%m%d}"))


CREDIT_FILE_NAME = "demo-tegoed.cod"
CREDIT_ORDER_NUMBER = 201  # demo communication number of the open order the credit can pay


def _seed_credits(organiser, clients, staff) -> int:
    """Two clients with credit, so a new user can try "Betalen met tegoed" and a refund (SEPA file): one paid
    its paid order a second time and has a new open order the credit pays, the other paid without an open
    order. Booked through one imported statement, once (its file name marks it)."""
    if BankImport.objects.filter(organiser=organiser, original_name=CREDIT_FILE_NAME).exists():
        return 0
    demo_client = next((c for c in clients if c.contacts.filter(user__email=DEMO_CLIENT_EMAIL).exists()), None)
    candidates = [c for c in clients if c != demo_client
                  and ChequeOrder.objects.filter(client=c, status=OrderStatus.PAID).exists()
                  and not ChequeOrder.objects.filter(client=c, status__in=OPEN_ORDER_STATUSES).exists()]
    if len(candidates) < 2:
        return 0
    twice, without_order = candidates[0], candidates[1]
    paid = ChequeOrder.objects.filter(client=twice, status=OrderStatus.PAID).order_by("pk").first()
    lines = [
        SampleLine(amount=Decimal("40.00"), payer_name=twice.name[:35], payer_iban=_iban(twice.number),
                   communication=paid.structured_communication, structured=True, reference="DEMO0201"),
        SampleLine(amount=Decimal("12.50"), payer_name=without_order.name[:35],
                   payer_iban=_iban(without_order.number), communication=without_order.structured_communication,
                   structured=True, reference="DEMO0202"),
    ]
    content = build_coda(account_iban=organiser.iban, holder=organiser.name,
                         day=today() - datetime.timedelta(days=5), lines=lines)
    bank_import = bank_import_create(organiser=organiser, actor=staff,
                                     uploaded_file=SimpleUploadedFile(CREDIT_FILE_NAME, content))
    bank_import_process(bank_import_id=bank_import.pk)
    communication = _communication(CREDIT_ORDER_NUMBER)
    if not ChequeOrder.objects.filter(structured_communication=communication).exists():
        cheque_order_create(client=twice, quantity=5, actor=staff, communication=communication)
    return len(lines)


PAYOUT_FILE_NAME = "demo-uitbetaling.cod"
KILOMETRES = [Decimal("6"), Decimal("14"), Decimal("22.5"), Decimal("9"), Decimal("31")]


def _seed_payouts(organiser, staff) -> str:
    """The payout demo, once: nothing happens when the organiser has a payout batch."""
    from assignments.services import prestatie_correct_kilometres
    from wijkwerken.core.models import PayoutDate
    from wijkwerken.core.rules import month_start
    from wijkwerken.core.services import payout_calendar_fill, payout_date_set
    from workers.models import Worker
    from workers.services import worker_update

    if PayoutBatch.objects.filter(organiser=organiser).exists():
        return "payouts already there"
    beheerder = User.objects.filter(organiser=organiser, role=Role.BEHEERDER).order_by("pk").first()
    if beheerder is None or staff is None:
        return "no beheerder, no payouts"
    on = today()
    last_month = add_months(month_start(on), -1)
    if not PayoutDate.objects.filter(organiser=organiser).exists():
        for year in (on.year, on.year + 1):
            payout_calendar_fill(organiser=organiser, year=year, working_day=5, actor=beheerder)
        # Last month's work is paid today, so that the demo shows a payout the bank carried out.
        payout_date_set(organiser=organiser, month=last_month, pays_on=on, actor=beheerder)

    confirmed = Prestatie.objects.filter(organiser=organiser, status=PrestatieStatus.CONFIRMED).order_by("pk")
    # Kilometres given with the hours (demo only: the demo hours were registered without them).
    for index, pk in enumerate(confirmed.values_list("pk", flat=True)[::3]):
        Prestatie.objects.filter(pk=pk).update(kilometres=KILOMETRES[index % len(KILOMETRES)])
    # Every paid worker gets an own account number; one has none yet: kept out of last month's payout.
    workers = list(Worker.objects.filter(prestaties__in=confirmed).distinct().select_related("user")
                   .order_by("last_name", "first_name"))
    without_iban = next((w for w in workers if w.user_id is None), None)
    for worker in workers:
        worker_update(worker=worker, actor=staff, iban="" if worker == without_iban else _iban(500000 + worker.pk))

    preview = payout_preview(organiser=organiser, month=last_month)
    if not preview.lines:
        return "no paid hours last month: no payout"
    batch = payout_batch_confirm(organiser=organiser, month=last_month, fingerprint=preview.fingerprint,
                                 actor=beheerder)
    # The bank carried it out: its debit on today's statement, imported as a new user would.
    content = build_coda(account_iban=organiser.iban, holder=organiser.name, day=on, lines=[SampleLine(
        amount=batch.total, credit=False, communication=f"{batch.payment_id} {batch.message_id}",
        reference=f"DEMO{batch.number:04d}UB")])
    bank_import = bank_import_create(organiser=organiser, actor=beheerder,
                                     uploaded_file=SimpleUploadedFile(PAYOUT_FILE_NAME, content))
    bank_import_process(bank_import_id=bank_import.pk)
    # After the payment staff found a longer round trip for one of the demo worker's paid hours.
    paid_short = Prestatie.objects.filter(payout_items__line__batch=batch, kilometres__lt=10).order_by("-date")
    paid = paid_short.filter(worker__user__email=DEMO_WORKER_EMAIL).first() or paid_short.first()
    if paid is not None:
        prestatie_correct_kilometres(prestatie=paid, kilometres=Decimal("24"), note="Omweg door wegenwerken",
                                     actor=staff)
    batch.refresh_from_db()
    return (f"payout {batch.number} for {last_month:%m/%Y}: {batch.count} workers, {batch.total} euro, "
            f"{batch.get_status_display()}; {len(preview.exceptions)} kept out for this month's preview")
