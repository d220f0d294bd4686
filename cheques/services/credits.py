"""Client credit used to pay an open order ("Betalen met tegoed"). Refunds of credit are in `refunds`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assignments.models import Client, RegistrationFee
from wijkwerken.core.audit import audit_log
from wijkwerken.core.dates import today
from wijkwerken.core.money import format_euro

from ..models import ChequeOrder, ClientCredit, CreditKind, PaymentMethod
from ..selectors import credit_balance
from ._common import lock, on_behalf_of, retry_on_deadlock
from .orders import Receipt, payments_apply


@retry_on_deadlock
def client_credit_apply(*, order: ChequeOrder, actor, client: Client | None = None) -> ClientCredit:
    """Pay as much of `order` as the client's credit allows: min(credit, outstanding), booked as a payment
    "from the client's credit" and taken off the credit by a negative row (kind "gebruikt"), which is returned
    (its `order` is the order, refreshed).

    `client`, when given, is the client the request is about (the client's money page): the order must be
    theirs. Locks in the package's order: the order, its registration fee, the client (`payments_apply` then
    finds them held), so a bank import paying the same order waits instead of deadlocking. A paid order's
    cheques are issued after the commit (`payments_apply`).
    """
    with transaction.atomic():
        order = lock(ChequeOrder.objects.select_related("organiser")).get(pk=order.pk)
        actor_organiser = getattr(actor, "organiser_id", None)
        if actor_organiser and actor_organiser != order.organiser_id:
            raise ValidationError(_("This order is not ours."), code="other_organiser")
        if client is not None and client.pk != order.client_id:
            raise ValidationError(_("This order belongs to another client."), code="other_client")
        if order.fee_id:
            lock(RegistrationFee.objects).get(pk=order.fee_id)
        client = lock(Client.objects).get(pk=order.client_id)
        if not order.is_open or order.outstanding <= 0:
            raise ValidationError(_("This order is not waiting for a payment."), code="order_not_open")
        balance = credit_balance(client)  # under the client lock: no other use or refund runs meanwhile
        if balance <= 0:
            raise ValidationError(_("This client has no credit."), code="no_credit")
        amount = min(balance, order.outstanding)
        [result] = payments_apply(organiser=order.organiser, actor=actor, receipts=[Receipt(
            amount=amount, received_on=today(), method=PaymentMethod.CREDIT, order_ids=[order.pk],
            client_id=client.pk)])
        if result.credit:  # cannot happen: the amount fits the locked order
            raise ValidationError(_("The credit could not be put on this order."), code="not_applied")
        used = ClientCredit(organiser=order.organiser, client=client, amount=-amount, kind=CreditKind.USED,
                            order=order, created_by=actor if getattr(actor, "pk", None) else None)
        used.full_clean()
        used.save()
        order.refresh_from_db()
        used.order = order
        audit_log(actor=actor, on_behalf_of=on_behalf_of(client, actor), obj=order, action="client_credit.use",
                  summary=_("%(amount)s of the client's credit used for this order (credit left: %(left)s)")
                  % {"amount": format_euro(amount), "left": format_euro(balance - amount)},
                  changes={"amount": amount, "credit_before": balance, "credit_after": balance - amount,
                           "status": order.status})
    return used
