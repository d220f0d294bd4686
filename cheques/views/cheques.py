"""The wallet: the client's cheques, a client's money page for staff, paper cheques and the start-page panels."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import bemiddelaar_required, gebruiker_required
from wijkwerken.core.dates import today
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import page_of

from .. import selectors
from ..charts import wallet_chart
from ..forms import (
    PaperChequeForm,
    UseCreditForm,
)
from ..models import OPEN_ORDER_STATUSES, ChequeOrder
from ..services import cheques as cheque_services
from .orders import own_client


@gebruiker_required
def my_wallet(request):
    client = own_client(request)
    wallet = selectors.wallet_of(client)
    return render(request, "cheques/wallet.html", {
        "client": client, "wallet": wallet, "history": page_of(request, selectors.wallet_history(client)),
        "waiting": selectors.waiting_hours_of(client, wallet=wallet),
        "open_orders": selectors.orders_for(request.user).filter(status__in=OPEN_ORDER_STATUSES),
        "chart": wallet_chart(client, on=today()),
    })


@gebruiker_required
def panel_wallet(request):
    client = own_client(request)
    wallet = selectors.wallet_of(client)
    return render(request, "cheques/_panel_wallet.html", {
        "wallet": wallet, "waiting": selectors.waiting_hours_of(client, wallet=wallet),
        "open_orders": selectors.orders_for(request.user).filter(status__in=OPEN_ORDER_STATUSES)[:3],
    })


def _client_money_page(request, client, *, paper_form=None, credit_form=None, status=200):
    wallet = selectors.wallet_of(client)
    open_orders = list(ChequeOrder.objects.filter(client=client, status__in=OPEN_ORDER_STATUSES)
                       .order_by("ordered_on", "pk"))
    for order in open_orders:
        order.credit_use = min(wallet.credit, order.outstanding)
    return render(request, "cheques/client_money.html", {
        "client": client, "wallet": wallet, "events": selectors.money_history(client),
        "paper_form": paper_form or PaperChequeForm(), "orders": ChequeOrder.objects.filter(client=client)[:20],
        "open_orders": open_orders, "credit_movements": selectors.credit_movements(client),
        "credit_form": credit_form or UseCreditForm(initial={"back": "client"}),
    }, status=status)


@bemiddelaar_required
def client_money(request, client_pk):
    client = get_object_or_404(selectors.clients_of_staff(request.user), pk=client_pk)
    return _client_money_page(request, client)


@bemiddelaar_required
@require_POST
def paper_cheque_register(request, client_pk):
    client = get_object_or_404(selectors.clients_of_staff(request.user), pk=client_pk)
    form = PaperChequeForm(request.POST)
    if form.is_valid():
        try:
            cheque = cheque_services.cheque_register_paper(
                client=client, serial=form.cleaned_data["serial"], issued_on=form.cleaned_data["issued_on"],
                actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Paper cheque %(serial)s added to the wallet.") % {"serial": cheque.serial})
            return redirect("cheques:client_money", client_pk=client.pk)
    return _client_money_page(request, client, paper_form=form, status=400)


@bemiddelaar_required
def panel_staff(request):
    return render(request, "cheques/_panel_staff.html", {
        "open_orders": selectors.open_orders_count(request.user), "queue": selectors.queue_count(request.user),
        "last_import": selectors.bank_imports_for(request.user).first(),
    })
