"""Orders: the client's own orders and the staff's order pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import bemiddelaar_required, gebruiker_required
from wijkwerken.core.downloads import document_response
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import page_of
from wijkwerken.core.selectors import audit_history, municipalities_visible_to

from .. import selectors
from ..filters import OrderFilter
from ..forms import (
    CancelOrderForm,
    OrderForm,
    UseCreditForm,
)
from ..pdf import epc_qr_svg, store_order_pdf
from ..services import mollie as mollie_services
from ..services import orders as order_services


def own_client(request):
    client = selectors.client_for_gebruiker(request.user)
    if client is None:
        raise Http404
    return client


def _pdf_response(order):
    if not order.pdf:
        store_order_pdf(order.pk)
        order.refresh_from_db()
    return document_response(order.pdf, f"bestelling-{order.pk}.pdf", "pdf")


def _order_context(order, **extra):
    return {"order": order, "qr_svg": epc_qr_svg(order) if order.is_open and order.outstanding > 0 else "",
            "payment": order_services.order_payment_instructions(order), **extra}


def _order_form_page(request, client, template, success_url_name, actor):
    # ?aantal=N from "order the missing cheques" fills in the number.
    form = OrderForm(request.POST or None, initial={"quantity": request.GET.get("aantal")}
                     if request.GET.get("aantal", "").isdigit() else None)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_services.cheque_order_create(client=client, quantity=form.cleaned_data["quantity"],
                                                       actor=actor)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Order %(number)s registered. Pay it with the structured communication "
                                        "below.") % {"number": order.pk})
            return redirect(success_url_name, pk=order.pk)
    quote = order_services.cheque_order_quote(client=client, quantity=10)
    return render(request, template, {"form": form, "client": client, "quote": quote})


@gebruiker_required
def my_order_create(request):
    client = own_client(request)
    return _order_form_page(request, client, "cheques/order_create.html", "cheques:my_order_detail", request.user)


@gebruiker_required
def my_orders(request):
    orders = selectors.orders_for(request.user)
    page = page_of(request, orders.order_by("-ordered_on", "-pk"))
    return render(request, "cheques/my_orders.html", {
        "orders": page, "page": page, "to_pay": selectors.orders_to_pay_summary(orders)})


@gebruiker_required
def my_order_detail(request, pk):
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    return render(request, "cheques/my_order_detail.html", _order_context(
        order, mollie_enabled=mollie_services.mollie_enabled(), cancel_form=CancelOrderForm()))


@gebruiker_required
def my_order_pdf(request, pk):
    return _pdf_response(get_object_or_404(selectors.orders_for(request.user), pk=pk))


@gebruiker_required
@require_POST
def my_order_cancel(request, pk):
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    form = CancelOrderForm(request.POST)
    try:
        form.is_valid()
        order_services.cheque_order_cancel(order=order, actor=request.user,
                                           reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Order cancelled."))
    return redirect("cheques:my_order_detail", pk=order.pk)


@bemiddelaar_required
def order_list(request):
    queryset = selectors.orders_for(request.user)
    order_filter = OrderFilter(request.GET or None, queryset=queryset,
                               municipalities=municipalities_visible_to(request.user))
    page = page_of(request, order_filter.qs)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "cheques/order_list.html", {"filter": order_filter, "page": page,
                                                        "params": params.urlencode()})


def order_detail_page(request, order, *, credit_form=None, status=200):
    credit = selectors.credit_balance(order.client) if order.is_open else 0
    return render(request, "cheques/order_detail.html", _order_context(
        order, payments=order.payments.select_related("bank_line", "online_payment"),
        online_payments=order.online_payments.all(), history=audit_history(order), cancel_form=CancelOrderForm(),
        credit=credit, credit_use=min(credit, order.outstanding), credit_rest=max(order.outstanding - credit, 0),
        credit_form=credit_form or UseCreditForm(initial={"back": "order"})), status=status)


@bemiddelaar_required
def order_detail(request, pk):
    # The client's credit comes with the order: the page makes the same queries whether the order is open or not.
    return order_detail_page(request, get_object_or_404(
        selectors.orders_for(request.user).select_related("client__credit_balance"), pk=pk))


@bemiddelaar_required
def order_pdf(request, pk):
    return _pdf_response(get_object_or_404(selectors.orders_for(request.user), pk=pk))


@bemiddelaar_required
@require_POST
def order_cancel(request, pk):
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    form = CancelOrderForm(request.POST)
    try:
        form.is_valid()
        order_services.cheque_order_cancel(order=order, actor=request.user,
                                           reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Order cancelled."))
    return redirect("cheques:order_detail", pk=order.pk)


@bemiddelaar_required
def client_order_create(request, client_pk):
    client = get_object_or_404(selectors.clients_of_staff(request.user), pk=client_pk)
    return _order_form_page(request, client, "cheques/order_create.html", "cheques:order_detail", request.user)
