"""Background jobs of the cheques app. They take ids, call one service and are safe to run twice."""

from celery import shared_task
from django.db import transaction

from wijkwerken.core.dates import today


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def process_bank_import(bank_import_id: int) -> str:
    from .services.bank_import import bank_import_process

    return bank_import_process(bank_import_id=bank_import_id).status


@shared_task(time_limit=120, soft_time_limit=110)
def render_order_pdf(order_id: int) -> None:
    from .pdf import store_order_pdf

    store_order_pdf(order_id)


@shared_task
def remind_unpaid_orders() -> int:
    from .services.orders import cheque_orders_send_reminders

    return cheque_orders_send_reminders(on=today())


@shared_task
def cancel_overdue_orders() -> int:
    from .services.orders import cheque_orders_cancel_overdue

    return cheque_orders_cancel_overdue(on=today())


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def expire_cheques() -> dict:
    """Daily: remind clients of cheques expiring within a month, then expire the ones past their date."""
    from .services.expiry import cheques_expire, cheques_remind_expiry

    on = today()
    return {"reminded": cheques_remind_expiry(on=on), "expired": cheques_expire(on=on)}


class MollieUnreachable(Exception):
    """Mollie could not be reached: the task tries again later."""


@shared_task(autoretry_for=(MollieUnreachable,), retry_backoff=30, retry_backoff_max=30 * 60, max_retries=6,
             time_limit=60, soft_time_limit=50)
def sync_mollie_payment(mollie_id: str) -> str:
    """The webhook's check with Mollie (queued by `mollie_webhook_accept`). Returns the payment's status, or why
    Mollie's answer was refused."""
    from django.core.exceptions import ValidationError

    from .services.mollie import mollie_payment_sync

    try:
        return mollie_payment_sync(mollie_id=mollie_id).status
    except ValidationError as error:
        if error.code == "mollie_unreachable":
            raise MollieUnreachable(mollie_id) from error
        return error.code


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def issue_cheques(order_ids: list[int], actor_id: int | None = None) -> int:
    """Orders were paid: their cheques go into the wallets (enqueued by `payments_apply` after its commit)."""
    from django.contrib.auth import get_user_model

    from .services.cheques import cheques_issue_for_orders

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return cheques_issue_for_orders(order_ids=order_ids, actor=actor)


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def issue_cheques_sweep() -> int:
    """Safety net: paid orders whose cheques were not issued yet (a lost task)."""
    from .services.cheques import cheques_issue_for_orders

    return cheques_issue_for_orders(order_ids=None)


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def settle_prestaties(prestatie_ids: list[int]) -> dict:
    """Confirmed hours are paid from the wallet (enqueued by the `prestaties confirmed` listener)."""
    from .services.settlement import prestaties_settle

    return vars(prestaties_settle(prestatie_ids=prestatie_ids))


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def settle_waiting_for_clients(client_ids: list[int]) -> dict:
    """New cheques arrived for these clients: pay their waiting hours, oldest first."""
    from .services.settlement import clients_settle

    return vars(clients_settle(client_ids=client_ids))


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def settle_confirmed_sweep() -> dict:
    """Safety net: every confirmed prestatie not paid yet (a lost task, cheques issued another way)."""
    from .services.settlement import confirmed_settle_all

    return vars(confirmed_settle_all())


def enqueue_cheque_issue(order_ids, actor) -> None:
    """Call inside the transaction that paid the orders: the cheques are issued after its commit."""
    ids = sorted(set(order_ids))
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    if ids:
        transaction.on_commit(lambda: issue_cheques.delay(ids, actor_id))


def enqueue_settlement_for_clients(client_ids) -> None:
    """Call inside the transaction that issued cheques: the settlement starts after its commit."""
    ids = sorted(set(client_ids))
    if ids:
        transaction.on_commit(lambda: settle_waiting_for_clients.delay(ids))


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def notify_payout_batch(batch_id: int) -> int:
    """A payout batch was confirmed: tell each worker what comes and when (safe to run twice)."""
    from .services.payouts import payout_batch_notify

    return payout_batch_notify(batch_id=batch_id)
