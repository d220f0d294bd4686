"""What waits on the start pages from this app (see wijkwerken.core.worklist): bank lines and orders for staff;
orders to pay, cheques running low or expiring for a client. Every count is one aggregate query."""

import datetime

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today
from wijkwerken.core.notifications import notification_kinds
from wijkwerken.core.worklist import WorkItem, audit_links, work_items

from .models import OPEN_ORDER_STATUSES, Cheque, ChequeStatus, Settlement, SettlementStatus
from .selectors import client_for_gebruiker, orders_for, queue_for
from .services.expiry import REMINDER_DAYS

audit_links({
    "cheques.chequeorder": "cheques:order_detail",
    "cheques.bankimport": "cheques:bank_import_detail",
}, roles=(Role.BEHEERDER, Role.BEMIDDELAAR), quiet=("cheque_order.cheques_issued", "bank_import.upload"))


def _expiring_soon():
    on = today()
    return Cheque.objects.filter(status=ChequeStatus.AVAILABLE, expires_on__gte=on,
                                 expires_on__lte=on + datetime.timedelta(days=REMINDER_DAYS))


# "Hours wait for cheques" is true while the settlement waits; "cheques expire soon" while the client still holds
# cheques that expire within the reminder period.
notification_kinds({
    "prestatie.waiting_for_cheques": lambda: Settlement.objects.filter(status=SettlementStatus.WAITING)
    .values("prestatie_id"),
    "cheques.expiring": lambda: _expiring_soon().values("client_id"),
})


@work_items(Role.BEMIDDELAAR, Role.BEHEERDER)
def staff_money(user):
    # Filtered before counting: each count reads only the rows that wait (bankline_queue_idx,
    # chequeorder_org_status_idx), not the organiser's whole history.
    lines = queue_for(user).order_by().count()
    orders = orders_for(user).filter(status__in=OPEN_ORDER_STATUSES).order_by().count()
    return [
        WorkItem(ngettext("bank line to handle", "bank lines to handle", lines), lines,
                 reverse("cheques:bank_queue"), order=30),
        WorkItem(ngettext("order waiting for payment", "orders waiting for payment", orders), orders,
                 f"{reverse('cheques:order_list')}?status=open", order=31),
    ]


@work_items(Role.GEBRUIKER)
def client_money(user):
    client = client_for_gebruiker(user)
    if client is None:
        return []
    on = today()
    soon = on + datetime.timedelta(days=REMINDER_DAYS)
    open_orders = (orders_for(user).filter(status__in=OPEN_ORDER_STATUSES).order_by()
                   .aggregate(n=Count("pk", distinct=True), cheques=Sum("quantity")))
    orders = open_orders["n"]
    wallet = Cheque.objects.filter(client=client).available(on=on).aggregate(
        available=Count("pk"), expiring=Count("pk", filter=Q(expires_on__lte=soon)))
    needed = Settlement.objects.filter(client=client, status=SettlementStatus.WAITING).aggregate(
        cheques=Sum("cheques"))["cheques"] or 0
    wallet_url = reverse("cheques:my_wallet")
    short = needed > wallet["available"]
    # Cheques on an order still to pay will pay the hours too: then paying is what to do, not ordering more.
    if needed > wallet["available"] + (open_orders["cheques"] or 0):
        what_to_do = ngettext("Hours wait for %(count)s cheque: order cheques.",
                              "Hours wait for %(count)s cheques: order cheques.", needed)
    else:
        what_to_do = ngettext("Hours wait for %(count)s cheque: pay your order.",
                              "Hours wait for %(count)s cheques: pay your order.", needed)
    items = [
        WorkItem(ngettext("order to pay", "orders to pay", orders), orders, reverse("cheques:my_orders"), order=20,
                 hint=_("Pay with the structured communication on the order.") if orders else ""),
        WorkItem(ngettext("cheque in your wallet", "cheques in your wallet", wallet["available"]),
                 wallet["available"], wallet_url, order=21, figure=not short, urgent=short,
                 hint=what_to_do % {"count": needed} if short else ""),
    ]
    if wallet["expiring"]:
        items.append(WorkItem(
            ngettext("cheque expires within %(days)s days", "cheques expire within %(days)s days",
                     wallet["expiring"]) % {"days": REMINDER_DAYS},
            wallet["expiring"], wallet_url, order=22, urgent=True,
            hint=_("Use them first: an expired cheque cannot be used any more.")))
    return items
