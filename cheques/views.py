"""Thin views: permission, form, one service call, redirect. Objects come from scoped selectors (404 otherwise)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import bemiddelaar_required, gebruiker_required
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.money import format_euro
from wijkwerken.core.selectors import audit_history, municipalities_visible_to

from . import selectors
from .filters import OrderFilter
from .forms import (
    AssignLineForm,
    BankImportForm,
    CancelOrderForm,
    DiscardLineForm,
    OrderForm,
    PaperChequeForm,
    RefundBatchForm,
    UseCreditForm,
)
from .models import OPEN_ORDER_STATUSES, BankLine, ChequeOrder
from .pdf import epc_qr_svg, store_order_pdf
from .services import bank_import as bank_services
from .services import cheques as cheque_services
from .services import credits as credit_services
from .services import mollie as mollie_services
from .services import orders as order_services
from .services import refunds as refund_services

PAGE_SIZE = 25



def _own_client(request):
    client = selectors.client_for_gebruiker(request.user)
    if client is None:
        raise Http404
    return client


def _pdf_response(order):
    if not order.pdf:
        store_order_pdf(order.pk)
        order.refresh_from_db()
    return FileResponse(order.pdf.open("rb"), as_attachment=True, filename=f"bestelling-{order.pk}.pdf",
                        content_type="application/pdf")


def _order_context(order, **extra):
    return {"order": order, "qr_svg": epc_qr_svg(order) if order.is_open and order.outstanding > 0 else "",
            "payment": order_services.order_payment_instructions(order), **extra}


# --- the client ---------------------------------------------------------------------------------------------

@gebruiker_required
def my_wallet(request):
    client = _own_client(request)
    wallet = selectors.wallet_of(client)
    return render(request, "cheques/wallet.html", {
        "client": client, "wallet": wallet, "history": selectors.wallet_history(client),
        "waiting": selectors.waiting_hours_of(client, wallet=wallet),
        "open_orders": selectors.orders_for(request.user).filter(status__in=OPEN_ORDER_STATUSES),
    })


@gebruiker_required
def panel_wallet(request):
    client = _own_client(request)
    wallet = selectors.wallet_of(client)
    return render(request, "cheques/_panel_wallet.html", {
        "wallet": wallet, "waiting": selectors.waiting_hours_of(client, wallet=wallet),
        "open_orders": selectors.orders_for(request.user).filter(status__in=OPEN_ORDER_STATUSES)[:3],
    })


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
    client = _own_client(request)
    return _order_form_page(request, client, "cheques/order_create.html", "cheques:my_order_detail", request.user)


@gebruiker_required
def my_orders(request):
    orders = selectors.orders_for(request.user)
    return render(request, "cheques/my_orders.html", {"orders": orders})


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


@gebruiker_required
@require_POST
def my_order_pay_online(request, pk):
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    return_url = request.build_absolute_uri(reverse("cheques:my_order_return", args=[order.pk]))
    try:
        online = mollie_services.mollie_payment_create(order=order, actor=request.user, return_url=return_url)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cheques:my_order_detail", pk=order.pk)
    return redirect(online.checkout_url)


@gebruiker_required
def my_order_return(request, pk):
    """Back from Mollie: ask Mollie for the status of the latest payment (the webhook may not have come yet)."""
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    online = order.online_payments.order_by("-created_at").first()
    if online is not None:
        try:
            online = mollie_services.mollie_payment_sync(mollie_id=online.mollie_id)
        except ValidationError:
            online = None
    if online is not None and online.status == "paid":
        messages.success(request, _("Thank you: your payment was received and your cheques are in your wallet."))
    elif online is not None and online.status in ("open", "pending", "authorized"):
        messages.info(request, _("Your payment is being processed. Your cheques arrive as soon as it is confirmed."))
    else:
        messages.warning(request, _("The online payment was not completed. You can try again or pay by bank "
                                    "transfer."))
    return redirect("cheques:my_order_detail", pk=order.pk)


@csrf_exempt
@require_POST
def mollie_webhook(request):
    """Mollie posts only `id`; an unknown id is refused without side effects, a known one is re-checked."""
    mollie_id = request.POST.get("id", "")
    if not mollie_id or not mollie_services.MolliePayment.objects.filter(mollie_id=mollie_id).exists():
        raise Http404
    try:
        mollie_services.mollie_payment_sync(mollie_id=mollie_id)
    except ValidationError:
        return HttpResponseBadRequest()
    return HttpResponse("OK")


# --- staff: orders ------------------------------------------------------------------------------------------

@bemiddelaar_required
def order_list(request):
    queryset = selectors.orders_for(request.user)
    order_filter = OrderFilter(request.GET or None, queryset=queryset,
                               municipalities=municipalities_visible_to(request.user))
    page = Paginator(order_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "cheques/order_list.html", {"filter": order_filter, "page": page,
                                                        "params": params.urlencode()})


def _order_detail_page(request, order, *, credit_form=None, status=200):
    credit = selectors.credit_balance(order.client) if order.is_open else 0
    return render(request, "cheques/order_detail.html", _order_context(
        order, payments=order.payments.select_related("bank_line", "online_payment"),
        online_payments=order.online_payments.all(), history=audit_history(order), cancel_form=CancelOrderForm(),
        credit=credit, credit_use=min(credit, order.outstanding), credit_rest=max(order.outstanding - credit, 0),
        credit_form=credit_form or UseCreditForm(initial={"back": "order"})), status=status)


@bemiddelaar_required
def order_detail(request, pk):
    return _order_detail_page(request, get_object_or_404(selectors.orders_for(request.user), pk=pk))


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


@bemiddelaar_required
@require_POST
def order_pay_with_credit(request, pk):
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    form = UseCreditForm(request.POST)
    back = form.cleaned_data.get("back") if form.is_valid() else ""
    try:
        used = credit_services.client_credit_apply(order=order, actor=request.user)
    except ValidationError as error:
        attach_errors(form, error)
        if back == "client":
            return _client_money_page(request, order.client, credit_form=form, status=400)
        return _order_detail_page(request, order, credit_form=form, status=400)
    messages.success(request, _("%(amount)s of the credit was put on order %(number)s.")
                     % {"amount": format_euro(used.amount_out), "number": order.pk})
    if back == "client":
        return redirect("cheques:client_money", client_pk=order.client_id)
    return redirect("cheques:order_detail", pk=order.pk)


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
def credit_list(request):
    """The clients with credit; ticking some and a date creates a refund batch (a SEPA file)."""
    form = RefundBatchForm(request.POST or None, clients=selectors.clients_of_staff(request.user),
                           initial={"execution_date": refund_services.refund_execution_date_default()})
    if request.method == "POST" and form.is_valid():
        try:
            batch = refund_services.refund_batch_create(
                organiser=request.user.organiser, actor=request.user,
                execution_date=form.cleaned_data["execution_date"],
                client_ids=[client.pk for client in form.cleaned_data["clients"]])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, ngettext(
                "Refund %(number)s created: %(count)s transfer, %(total)s. Download the file and upload it to the "
                "bank once.",
                "Refund %(number)s created: %(count)s transfers, %(total)s. Download the file and upload it to the "
                "bank once.", batch.count)
                % {"number": batch.number, "count": batch.count, "total": format_euro(batch.total)})
            return redirect("cheques:refund_batch_detail", pk=batch.pk)
    return render(request, "cheques/credit_list.html", {
        "rows": selectors.credits_to_refund(request.user), "form": form,
        "ticked": form.ticked if form.is_bound else set(),
    }, status=400 if form.errors else 200)


@bemiddelaar_required
def refund_batch_list(request):
    page = Paginator(selectors.refund_batches_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cheques/refund_batch_list.html", {"page": page})


@bemiddelaar_required
def refund_batch_detail(request, pk):
    batch = get_object_or_404(selectors.refund_batches_for(request.user), pk=pk)
    return render(request, "cheques/refund_batch_detail.html", {
        "batch": batch, "lines": selectors.refund_lines(batch), "history": audit_history(batch)})


@bemiddelaar_required
def refund_batch_file(request, pk):
    batch = get_object_or_404(selectors.refund_batches_for(request.user), pk=pk)
    return FileResponse(batch.file.open("rb"), as_attachment=True, filename=batch.file_name,
                        content_type="application/xml")


@bemiddelaar_required
def panel_staff(request):
    return render(request, "cheques/_panel_staff.html", {
        "open_orders": selectors.open_orders_count(request.user), "queue": selectors.queue_count(request.user),
        "last_import": selectors.bank_imports_for(request.user).first(),
    })


# --- staff: bank statements ---------------------------------------------------------------------------------

@bemiddelaar_required
def bank_import_list(request):
    form = BankImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank_import = bank_services.bank_import_create(
                organiser=request.user.organiser, uploaded_file=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("cheques:bank_import_detail", pk=bank_import.pk)
    imports = Paginator(selectors.bank_imports_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cheques/bank_import_list.html", {
        "form": form, "page": imports, "queue_count": selectors.queue_count(request.user)})


@bemiddelaar_required
def bank_import_detail(request, pk):
    bank_import = get_object_or_404(selectors.bank_imports_for(request.user), pk=pk)
    lines = bank_import.lines.select_related("client").prefetch_related("payments", "credits").order_by(
        "source_line", "pk")
    page = Paginator(lines, 50).get_page(request.GET.get("page"))
    return render(request, "cheques/bank_import_detail.html", {
        "bank_import": bank_import, "progress": bank_services.bank_import_progress(bank_import), "page": page})


@bemiddelaar_required
def bank_import_progress(request, pk):
    bank_import = get_object_or_404(selectors.bank_imports_for(request.user), pk=pk)
    response = render(request, "cheques/_bank_import_progress.html", {
        "bank_import": bank_import, "progress": bank_services.bank_import_progress(bank_import)})
    if bank_import.is_finished and request.htmx:
        response["HX-Refresh"] = "true"  # show the imported lines
    return response


@bemiddelaar_required
def bank_queue(request):
    lines = list(selectors.queue_for(request.user)[:50])
    for line in lines:
        line.suggestions = selectors.suggestions_for(line)
    return render(request, "cheques/bank_queue.html", {
        "lines": lines, "total": selectors.queue_count(request.user)})


def _queue_line(request, pk) -> BankLine:
    return get_object_or_404(selectors.bank_lines_for(request.user), pk=pk)


@bemiddelaar_required
@require_POST
def bank_line_assign(request, pk):
    line = _queue_line(request, pk)
    form = AssignLineForm(request.POST, orders=selectors.orders_for(request.user),
                          clients=selectors.clients_of_staff(request.user))
    if form.is_valid():
        try:
            bank_services.bank_line_assign(line=line, actor=request.user, note=form.cleaned_data["note"],
                                           order=form.cleaned_data.get("order_obj"),
                                           client=form.cleaned_data.get("client_obj"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Transfer assigned."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cheques:bank_queue")


@bemiddelaar_required
@require_POST
def bank_line_discard(request, pk):
    line = _queue_line(request, pk)
    form = DiscardLineForm(request.POST)
    if form.is_valid():
        try:
            bank_services.bank_line_discard(line=line, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Transfer discarded."))
    else:
        messages.error(request, _("Add a note."))
    return redirect("cheques:bank_queue")


