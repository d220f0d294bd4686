"""Online payment through Mollie (Bancontact, Payconiq, card).

Create a payment → the client pays at Mollie → Mollie calls the webhook with only an id → we fetch that
payment from Mollie and act on the status Mollie reports. The webhook is idempotent: a payment pays its
order at most once (a unique constraint on Payment.online_payment), and an unknown id changes nothing.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from mollie.api.client import Client as MollieClient
from mollie.api.error import Error as MollieError
from mollie.api.error import RequestError as MollieRequestError

from wijkwerken.core.audit import audit_log
from wijkwerken.core.dates import today
from wijkwerken.core.money import format_euro

from ..models import ChequeOrder, MolliePayment, MollieStatus, Payment, PaymentMethod
from ._common import lock, on_behalf_of, retry_on_deadlock
from .orders import Receipt, payments_apply

METHODS = ["bancontact", "payconiq", "creditcard"]
# Seconds to connect to and to wait for Mollie, and retries of a failed connection (a page waits on create; the
# webhook's check runs in a task, which retries later).
MOLLIE_TIMEOUT = (2, 5)
MOLLIE_RETRIES = 1


def mollie_enabled() -> bool:
    return bool(settings.MOLLIE_API_KEY)


def mollie_client() -> MollieClient:
    client = MollieClient(timeout=MOLLIE_TIMEOUT, retry=MOLLIE_RETRIES)
    client.set_api_key(settings.MOLLIE_API_KEY)
    return client


def mollie_payment_create(*, order: ChequeOrder, actor, return_url: str) -> MolliePayment:
    """Ask Mollie for a payment of what is still due on `order`; the caller redirects to its checkout_url."""
    if not mollie_enabled():
        raise ValidationError(_("Online payment is not available."), code="mollie_disabled")
    order = ChequeOrder.objects.select_related("client", "organiser").get(pk=order.pk)
    if not order.is_open or order.outstanding <= 0:
        raise ValidationError(_("This order is not waiting for a payment."), code="order_not_open")
    amount = order.outstanding
    webhook_url = settings.MOLLIE_WEBHOOK_BASE_URL.rstrip("/") + reverse("cheques:mollie_webhook")
    try:
        payment = mollie_client().payments.create({
            "amount": {"currency": "EUR", "value": f"{amount:.2f}"},
            "description": _("Wijk-werkcheques order %(number)s") % {"number": order.pk},
            "redirectUrl": return_url,
            "webhookUrl": webhook_url,
            "method": METHODS,
            "locale": "nl_BE",
            "metadata": {"order_id": order.pk},
        })
    except MollieError as error:
        raise ValidationError(_("The payment provider cannot be reached now. Try again later or pay by bank "
                                "transfer."), code="mollie_unavailable") from error
    with transaction.atomic():
        online = MolliePayment.objects.create(
            organiser=order.organiser, order=order, mollie_id=payment.id, amount=amount,
            status=payment.status or MollieStatus.OPEN, checkout_url=payment.checkout_url or "",
            created_by=actor if getattr(actor, "pk", None) else None)
        audit_log(actor=actor, on_behalf_of=on_behalf_of(order.client, actor), obj=order,
                  action="cheque_order.online_payment_start",
                  summary=_("Online payment of %(amount)s started") % {"amount": format_euro(amount)},
                  changes={"mollie_id": payment.id})
    return online


def mollie_webhook_accept(*, mollie_id: str) -> bool:
    """Mollie called the webhook (with only an id): for a payment we know, its check with Mollie is queued as a
    task, so the web worker never waits on Mollie. False for an unknown id (nothing queued)."""
    from ..tasks import sync_mollie_payment

    if not mollie_id or not MolliePayment.objects.filter(mollie_id=mollie_id).exists():
        return False
    sync_mollie_payment.delay(mollie_id)
    return True


def mollie_payment_sync(*, mollie_id: str) -> MolliePayment:
    """Take the status from Mollie (never from the caller) and book a paid payment once. A network error or an
    error on Mollie's side is `mollie_unreachable` (worth trying again); any other refusal `mollie_unavailable`."""
    online = MolliePayment.objects.filter(mollie_id=mollie_id).first()
    if online is None:
        raise ValidationError(_("Unknown payment."), code="unknown_payment")
    try:
        remote = mollie_client().payments.get(mollie_id)
    except MollieError as error:
        if isinstance(error, MollieRequestError) or (getattr(error, "status", None) or 0) >= 500:
            raise ValidationError(_("The payment provider cannot be reached now. Try again later or pay by bank "
                                    "transfer."), code="mollie_unreachable") from error
        raise ValidationError(_("The payment provider does not know this payment."),
                              code="mollie_unavailable") from error
    if remote.id != online.mollie_id or str((remote.metadata or {}).get("order_id")) != str(online.order_id):
        raise ValidationError(_("The payment does not match its order."), code="mismatch")
    return _mollie_payment_record(online_id=online.pk, remote=remote)


@retry_on_deadlock
def _mollie_payment_record(*, online_id: int, remote) -> MolliePayment:
    """Record the status Mollie reported; a paid payment pays its order once (under the payment's lock)."""
    with transaction.atomic():
        online = lock(MolliePayment.objects.select_related("order__client")).get(pk=online_id)
        status = remote.status if remote.status in MollieStatus.values else online.status
        changed = status != online.status
        online.status = status
        online.method = remote.method or online.method
        online.save(update_fields=["status", "method", "updated_at"])
        if status == MollieStatus.PAID and not Payment.objects.filter(online_payment=online).exists():
            amount = Decimal(remote.amount["value"])
            payments_apply(organiser=online.organiser, actor=None, receipts=[Receipt(
                amount=amount, received_on=today(), method=PaymentMethod.ONLINE, order_ids=[online.order_id],
                client_id=online.order.client_id, online_payment_id=online.pk)])
        elif changed:
            audit_log(actor=None, obj=online.order, action="cheque_order.online_payment_status",
                      summary=_("Online payment %(id)s: %(status)s") % {"id": online.mollie_id,
                                                                         "status": online.get_status_display()})
    return online
