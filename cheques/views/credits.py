"""Client credit: paying with it, and refunding it in SEPA batches."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import bemiddelaar_required
from wijkwerken.core.downloads import document_response
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.money import format_euro
from wijkwerken.core.pagination import page_of
from wijkwerken.core.selectors import audit_history

from .. import selectors
from ..forms import (
    RefundBatchForm,
    UseCreditForm,
)
from ..services import credits as credit_services
from ..services import refunds as refund_services
from .cheques import _client_money_page
from .orders import order_detail_page

CREDITS_PER_PAGE = 50  # a refund batch is made from the ticked clients of one page


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
        return order_detail_page(request, order, credit_form=form, status=400)
    messages.success(request, _("%(amount)s of the credit was put on order %(number)s.")
                     % {"amount": format_euro(used.amount_out), "number": order.pk})
    if back == "client":
        return redirect("cheques:client_money", client_pk=order.client_id)
    return redirect("cheques:order_detail", pk=order.pk)


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
    page = page_of(request, selectors.credits_to_refund(request.user), per_page=CREDITS_PER_PAGE)
    return render(request, "cheques/credit_list.html", {
        "rows": selectors.with_refund_ibans(page), "page": page, "form": form,
        "ticked": form.ticked if form.is_bound else set(),
    }, status=400 if form.errors else 200)


@bemiddelaar_required
def refund_batch_list(request):
    page = page_of(request, selectors.refund_batches_for(request.user))
    return render(request, "cheques/refund_batch_list.html", {"page": page})


@bemiddelaar_required
def refund_batch_detail(request, pk):
    batch = get_object_or_404(selectors.refund_batches_for(request.user), pk=pk)
    # A batch is immutable and stores its number of transfers and total: a page of its lines, the total exact.
    page = page_of(request, selectors.refund_lines(batch), count=batch.count)
    return render(request, "cheques/refund_batch_detail.html", {
        "batch": batch, "lines": page, "page": page, "history": audit_history(batch)})


@bemiddelaar_required
def refund_batch_file(request, pk):
    batch = get_object_or_404(selectors.refund_batches_for(request.user), pk=pk)
    return document_response(batch.file, batch.file_name, "sepa")
