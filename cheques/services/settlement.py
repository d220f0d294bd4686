"""Settlement (flow 6): a confirmed prestatie is paid with one cheque per started hour from the client's wallet.

Rules, decided here:
- The cheques taken are those available and valid on the settlement day (not the prestatie's date): a cheque
  that expired before the client could pay is not used, and one bought afterwards pays older hours.
- Soonest expiry first (then serial), exactly `prestatie.cheques` of them, all or nothing per prestatie.
- A client's confirmed hours are paid oldest first (date, start, id). When the oldest does not fit in the
  wallet, it and every younger one wait as "te betalen": cheques that arrive later go to the oldest hours.
  So settling any prestatie of a client settles all of that client's unpaid confirmed hours.
- Not enough cheques: nothing is taken, the prestatie waits and the client's contacts get a notification
  (once per prestatie). Issuing cheques (a paid order, a paper cheque) settles the waiting hours afterwards.

Concurrency: every batch locks its clients' rows first (in id order), so two settlements of one client run one
after the other and the second sees the first one's cheques as used; the available cheques are locked too
(after the clients, in id order: the package's lock order) against the expiry job. The database refuses a
second redemption of a cheque anyway (the status/prestatie check constraint and, on PostgreSQL, a trigger that
makes a redeemed cheque final). A batch that loses a deadlock is run again (`retry_on_deadlock`).

Set-based: per batch of clients a fixed number of queries (lock, read hours, lock cheques, one UPDATE of the
cheques, bulk inserts of settlements and audit entries, notifications), never one query per cheque.
"""

from collections import defaultdict, deque
from dataclasses import dataclass

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Client, Prestatie, PrestatieStatus
from assignments.selectors import contact_users_by_client
from wijkwerken.core.audit import audit_log_many
from wijkwerken.core.dates import today
from wijkwerken.core.notifications import notifications_send

from ..models import Cheque, ChequeStatus, Settlement, SettlementStatus
from ._common import lock, retry_on_deadlock

CLIENTS_PER_BATCH = 250


class DoubleRedemption(RuntimeError):
    """A cheque locked as available was not available when updated: never expected under the client lock."""


@dataclass
class SettleResult:
    paid: int = 0
    waiting: int = 0
    cheques_used: int = 0

    def __iadd__(self, other):
        self.paid += other.paid
        self.waiting += other.waiting
        self.cheques_used += other.cheques_used
        return self


def waiting_key(prestatie_id: int) -> str:
    return f"cheques.settlement_waiting.{prestatie_id}"


def prestaties_settle(*, prestatie_ids, actor=None) -> SettleResult:
    """Settle these confirmed prestaties (and, oldest first, their clients' other unpaid confirmed hours).

    Safe to run twice: paid prestaties are skipped under the client lock.
    """
    ids = list(prestatie_ids)
    if not ids:
        return SettleResult()
    client_ids = set(Prestatie.objects.filter(pk__in=ids, status=PrestatieStatus.CONFIRMED)
                     .values_list("client_id", flat=True))
    return clients_settle(client_ids=client_ids, actor=actor)


def prestatie_settle(*, prestatie: Prestatie, actor=None) -> Settlement | None:
    prestaties_settle(prestatie_ids=[prestatie.pk], actor=actor)
    return Settlement.objects.filter(prestatie=prestatie).first()


def clients_settle(*, client_ids, actor=None) -> SettleResult:
    """Settle the unpaid confirmed hours of these clients, in batches of clients (one transaction each)."""
    ids = sorted(set(client_ids))
    result = SettleResult()
    for start in range(0, len(ids), CLIENTS_PER_BATCH):
        result += _settle_batch(ids[start:start + CLIENTS_PER_BATCH], actor)
    return result


def unsettled_clients(*, organiser_id=None) -> list[int]:
    """Clients with confirmed hours that are not paid yet (never settled, or waiting for cheques)."""
    queryset = Prestatie.objects.filter(status=PrestatieStatus.CONFIRMED).exclude(
        settlement__status=SettlementStatus.PAID)
    if organiser_id is not None:
        queryset = queryset.filter(organiser_id=organiser_id)
    return sorted(set(queryset.values_list("client_id", flat=True)))


def confirmed_settle_all(*, actor=None) -> SettleResult:
    """The safety net (periodic): settle every client's confirmed hours that are not paid yet."""
    return clients_settle(client_ids=unsettled_clients(), actor=actor)


@retry_on_deadlock
def _settle_batch(client_ids: list[int], actor) -> SettleResult:
    result = SettleResult()
    now = timezone.now()
    with transaction.atomic():
        locked = list(lock(Client.objects.filter(pk__in=client_ids)).values_list("pk", flat=True))
        rows = list(
            Prestatie.objects.filter(client_id__in=locked, status=PrestatieStatus.CONFIRMED)
            .exclude(settlement__status=SettlementStatus.PAID)
            .order_by("client_id", "date", "start_time", "pk")
            .values("pk", "client_id", "organiser_id", "date", "cheques", "worker__first_name", "settlement__pk")
        )
        if not rows:
            return result
        wallets = defaultdict(deque)
        available = sorted(
            lock(Cheque.objects.filter(client_id__in={r["client_id"] for r in rows}).available(on=today()))
            .values_list("client_id", "expires_on", "serial", "pk"))  # soonest expiry first
        for client_id, _expires_on, serial, cheque_id in available:
            wallets[client_id].append((cheque_id, serial))

        redemptions, paid, waiting, blocked = [], [], [], set()
        for row in rows:
            wallet = wallets[row["client_id"]]
            if row["client_id"] in blocked or len(wallet) < row["cheques"]:
                blocked.add(row["client_id"])
                waiting.append(row)
                continue
            taken = [wallet.popleft() for _n in range(row["cheques"])]
            redemptions.extend((cheque_id, row["pk"]) for cheque_id, _serial in taken)
            paid.append((row, [serial for _id, serial in taken]))

        _redeem(redemptions, now)
        _record_paid(paid, now, actor)
        newly_waiting = _record_waiting(waiting, now, actor)
        _notify_waiting(newly_waiting)
        result.paid, result.waiting, result.cheques_used = len(paid), len(waiting), len(redemptions)
    return result


def _redeem(redemptions: list[tuple[int, int]], now) -> None:
    """Mark the cheques used for their prestatie: one UPDATE on PostgreSQL. Only still-available cheques are
    touched; fewer rows than planned means someone else took one, and the whole batch is rolled back."""
    if not redemptions:
        return
    if connection.vendor == "postgresql":
        table = Cheque._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {table} AS c SET status = %s, redeemed_at = %s, prestatie_id = t.prestatie_id
                    FROM unnest(%s::bigint[], %s::bigint[]) AS t(id, prestatie_id)
                    WHERE c.id = t.id AND c.status = %s AND c.prestatie_id IS NULL""",
                [ChequeStatus.REDEEMED, now, [c for c, _p in redemptions], [p for _c, p in redemptions],
                 ChequeStatus.AVAILABLE])
            updated = cursor.rowcount
    else:
        per_prestatie = defaultdict(list)
        for cheque_id, prestatie_id in redemptions:
            per_prestatie[prestatie_id].append(cheque_id)
        updated = sum(
            Cheque.objects.filter(pk__in=ids, status=ChequeStatus.AVAILABLE, prestatie__isnull=True).update(
                status=ChequeStatus.REDEEMED, redeemed_at=now, prestatie_id=prestatie_id)
            for prestatie_id, ids in per_prestatie.items())
    if updated != len(redemptions):
        raise DoubleRedemption(f"{len(redemptions) - updated} cheque(s) were no longer available")


def _record_paid(paid, now, actor) -> None:
    if not paid:
        return
    was_waiting = [row["settlement__pk"] for row, _serials in paid if row["settlement__pk"]]
    for start in range(0, len(was_waiting), 5000):
        Settlement.objects.filter(pk__in=was_waiting[start:start + 5000], status=SettlementStatus.WAITING).update(
            status=SettlementStatus.PAID, paid_at=now)
    Settlement.objects.bulk_create([
        Settlement(organiser_id=row["organiser_id"], client_id=row["client_id"], prestatie_id=row["pk"],
                   status=SettlementStatus.PAID, cheques=row["cheques"], paid_at=now)
        for row, _serials in paid if not row["settlement__pk"]], batch_size=2000)
    summaries = {count: ngettext("Paid with %(count)s cheque from the wallet",
                                 "Paid with %(count)s cheques from the wallet", count) % {"count": count}
                 for count in {row["cheques"] for row, _serials in paid}}
    audit_log_many(actor=actor, action="prestatie.settled", model=Prestatie, rows=[
        (row["pk"], row["organiser_id"], summaries[row["cheques"]], {"serials": ", ".join(serials)})
        for row, serials in paid])


def _record_waiting(waiting, now, actor) -> list[dict]:
    new = [row for row in waiting if not row["settlement__pk"]]
    if not new:
        return []
    Settlement.objects.bulk_create([
        Settlement(organiser_id=row["organiser_id"], client_id=row["client_id"], prestatie_id=row["pk"],
                   status=SettlementStatus.WAITING, cheques=row["cheques"], waiting_since=now)
        for row in new], batch_size=2000)
    summaries = {count: ngettext("Waiting for %(count)s cheque: not enough in the wallet",
                                 "Waiting for %(count)s cheques: not enough in the wallet", count) % {"count": count}
                 for count in {row["cheques"] for row in new}}
    audit_log_many(actor=actor, action="prestatie.settlement_waiting", model=Prestatie, rows=[
        (row["pk"], row["organiser_id"], summaries[row["cheques"]], {"cheques": row["cheques"]})
        for row in new])
    return new


def _notify_waiting(rows: list[dict]) -> None:
    """Ask the client's contacts to order cheques: one notification per waiting prestatie, never twice."""
    if not rows:
        return
    contacts = contact_users_by_client({r["client_id"] for r in rows})
    with translation.override("nl"):
        url = reverse("cheques:my_wallet")
        items = [
            (user, waiting_key(row["pk"]),
             ngettext("The hours of %(date)s (%(worker)s) wait for %(count)s cheque. Order cheques: once they "
                      "are paid, the hours are settled automatically.",
                      "The hours of %(date)s (%(worker)s) wait for %(count)s cheques. Order cheques: once they "
                      "are paid, the hours are settled automatically.", row["cheques"])
             % {"date": row["date"].strftime("%d/%m/%Y"), "worker": row["worker__first_name"],
                "count": row["cheques"]}, url, ("prestatie.waiting_for_cheques", row["pk"]))
            for row in rows for user in contacts.get(row["client_id"], [])]
        notifications_send(items=items, subject=_("Hours waiting for cheques"))
