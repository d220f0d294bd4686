"""Payouts: the beheerder's monthly run (preview, confirm, the SEPA file, the batches), corrections, the
statements, and the wijk-werker's own "Mijn vergoedingen"."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assignments.models import PrestatieStatus
from assignments.selectors import worker_of_user
from wijkwerken.accounts.permissions import beheerder_required, wijkwerker_required
from wijkwerken.core.dates import add_months, month_param, today
from wijkwerken.core.downloads import document_response
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.money import format_euro
from wijkwerken.core.pagination import PAGE_SIZE, page_of
from wijkwerken.core.rules import month_start, rules_for
from wijkwerken.core.selectors import audit_history, scope_to_user
from workers.models import Worker

from .. import selectors
from ..forms import PayoutConfirmForm, PayoutCorrectionForm
from ..pdf import payout_statement_file, payout_year_file
from ..services import payouts as payout_services

PREVIEW_PAGE_SIZE = 50
# The preview's three lists are cut into pages each, by their own parameter: the transfers in pages of 50 (what the
# beheerder checks before confirming), the workers kept out and the pending hours in the usual pages of 25.
PREVIEW_PAGE_PARAMS = {"lines": "page", "exceptions": "uitzonderingen", "pending": "wachtend"}
PREVIEW_PAGE_SIZES = {"lines": PREVIEW_PAGE_SIZE, "exceptions": PAGE_SIZE, "pending": PAGE_SIZE}


def _default_month() -> datetime.date:
    """The month a run is usually for: the month before this one."""
    return add_months(month_start(today()), -1)


@beheerder_required
def payout_batch_list(request):
    return render(request, "cheques/payout_batch_list.html", {
        "page": page_of(request, selectors.payout_batches_for(request.user)),
        "last_month": _default_month(), "this_month": month_start(today()),
    })


def _preview_page(request, month, *, form=None, status=200):
    organiser = request.user.organiser
    try:
        preview = payout_services.payout_preview(organiser=organiser, month=month)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('cheques:payout_preview')}?maand={_default_month():%Y-%m}")
    if form is None:
        form = PayoutConfirmForm(initial={"month": f"{preview.month:%Y-%m}", "fingerprint": preview.fingerprint,
                                          "execution_date": preview.execution_date})
    else:  # the new preview replaces what the beheerder saw: a new confirmation needs the new fingerprint
        form.data = form.data.copy()
        form.data["fingerprint"] = preview.fingerprint
    pages = {name: _preview_list_page(request, preview, name, rows) for name, rows in (
        ("lines", preview.lines), ("exceptions", preview.exceptions), ("pending", preview.pending))}
    return render(request, "cheques/payout_preview.html", {
        "preview": preview, "form": form, "page": pages["lines"], "exceptions_page": pages["exceptions"],
        "pending_page": pages["pending"],
        "unconfirmed_rows": [(PrestatieStatus(status).label, count) for status, count in preview.unconfirmed.items()],
        "previous_month": add_months(preview.month, -1),
        "next_month": add_months(preview.month, 1) if preview.month < month_start(today()) else None,
        "this_month": month_start(today()),
    }, status=status)


def _preview_list_page(request, preview, name: str, rows):
    """One page of one of the preview's lists, with the query that keeps the month and the other lists' pages
    (`page.param`, `page.params`) for its links."""
    param = PREVIEW_PAGE_PARAMS[name]
    page = page_of(request, rows, per_page=PREVIEW_PAGE_SIZES[name], param=param)
    query = QueryDict(mutable=True)
    query["maand"] = f"{preview.month:%Y-%m}"
    for other in PREVIEW_PAGE_PARAMS.values():
        if other != param and request.GET.get(other):
            query[other] = request.GET[other]
    page.param, page.params = param, query.urlencode()
    return page


@beheerder_required
def payout_preview(request):
    return _preview_page(request, month_param(request.GET.get("maand"), _default_month()))


@beheerder_required
def payout_preview_worker(request, worker_pk):
    """The prestaties and corrections behind one worker's row of the preview (an htmx panel)."""
    worker = get_object_or_404(scope_to_user(Worker.objects.all(), request.user), pk=worker_pk)
    month = month_param(request.GET.get("maand"), _default_month())
    try:
        prestaties = payout_services.due_prestaties_of(organiser=request.user.organiser, month=month,
                                                       worker_id=worker.pk)
        corrections = payout_services.corrections_of(organiser=request.user.organiser, month=month,
                                                     worker_id=worker.pk)
    except ValidationError as error:
        raise Http404 from error
    return render(request, "cheques/_payout_preview_worker.html", {
        "worker": worker, "page": page_of(request, prestaties), "corrections": corrections,
        "panel_url": f"{reverse('cheques:payout_preview_worker', args=[worker.pk])}?maand={month:%Y-%m}"})


@beheerder_required
@require_POST
def payout_batch_confirm(request):
    form = PayoutConfirmForm(request.POST)
    month = month_param(request.POST.get("month"), _default_month())
    if form.is_valid():
        try:
            batch = payout_services.payout_batch_confirm(
                organiser=request.user.organiser, actor=request.user, month=form.cleaned_data["month"],
                fingerprint=form.cleaned_data["fingerprint"], execution_date=form.cleaned_data["execution_date"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, ngettext(
                "Payout %(number)s confirmed: %(count)s transfer, %(total)s. Download the SEPA file and upload it to "
                "the bank once.",
                "Payout %(number)s confirmed: %(count)s transfers, %(total)s. Download the SEPA file and upload it to "
                "the bank once.", batch.count)
                % {"number": batch.number, "count": batch.count, "total": format_euro(batch.total)})
            return redirect("cheques:payout_batch_detail", pk=batch.pk)
    return _preview_page(request, month, form=form, status=400)


@beheerder_required
def payout_batch_detail(request, pk):
    batch = get_object_or_404(selectors.payout_batches_for(request.user), pk=pk)
    return render(request, "cheques/payout_batch_detail.html", {
        "batch": batch, "page": page_of(request, batch.lines.order_by("name", "pk"), per_page=PREVIEW_PAGE_SIZE),
        "history": audit_history(batch),
    })


@beheerder_required
def payout_batch_file(request, pk):
    batch = get_object_or_404(selectors.payout_batches_for(request.user), pk=pk)
    return document_response(batch.file, batch.file_name, "sepa")


@beheerder_required
def payout_line_detail(request, pk):
    """One worker's transfer, item by item, down to the cheques that paid each prestatie and their orders: every
    euro traceable from the client's payment to the worker's account."""
    line = get_object_or_404(selectors.payout_lines_for(request.user), pk=pk)
    payments = list(selectors.payments_in(line))
    cheques = selectors.cheques_of_prestaties(item.prestatie_id for item in payments)
    for item in payments:
        item.cheques_used = cheques.get(item.prestatie_id, [])
    return render(request, "cheques/payout_line_detail.html", {
        "line": line, "batch": line.batch, "payments": payments, "prestaties_total": line.allowance + line.travel,
        "corrections": selectors.corrections_paid_in(line),
        "years": selectors.payout_years_of(line.worker),
    })


def _pdf(statement, filename):
    return document_response(statement.file, filename, "pdf")


@beheerder_required
def payout_line_pdf(request, pk):
    line = get_object_or_404(selectors.payout_lines_for(request.user), pk=pk)
    return _pdf(payout_statement_file(line), f"afrekening-{line.batch.number}-{line.worker_id}.pdf")


@beheerder_required
def payout_year_pdf(request, worker_pk, year):
    worker = get_object_or_404(scope_to_user(Worker.objects.select_related("organiser"), request.user),
                               pk=worker_pk)
    if year not in selectors.payout_years_of(worker):
        raise Http404
    return _pdf(payout_year_file(worker, year), f"jaaroverzicht-{year}-{worker.pk}.pdf")


@beheerder_required
def payout_correction_create(request):
    workers = scope_to_user(Worker.objects.all(), request.user).order_by("last_name", "first_name")
    initial = {"worker": request.GET.get("werker")} if request.GET.get("werker", "").isdigit() else {}
    form = PayoutCorrectionForm(request.POST or None, workers=workers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            correction = payout_services.payout_correction_create(organiser=request.user.organiser,
                                                                  actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Correction of %(amount)s for %(worker)s: it is in the next payout.")
                             % {"amount": format_euro(correction.amount), "worker": correction.worker})
            return redirect("cheques:payout_preview")
    return render(request, "cheques/payout_correction_form.html", {"form": form},
                  status=400 if form.errors else 200)


# --- the wijk-werker's own pages ----------------------------------------------------------------------------------

def _own_worker(request) -> Worker:
    worker = worker_of_user(request.user)
    if worker is None:
        raise Http404
    return worker


@wijkwerker_required
def my_payouts(request):
    worker = _own_worker(request)
    return render(request, "cheques/my_payouts.html", {
        "worker": worker, "outlook": payout_services.worker_payout_outlook(worker=worker),
        "lines": selectors.payout_lines_for(request.user).order_by("-batch__execution_date", "-batch__number"),
        "years": selectors.payout_years_of(worker), "rules": rules_for(organiser=worker.organiser, on=today()),
    })


@wijkwerker_required
def my_payouts_panel(request):
    """The next payment on the worker's start page (an htmx panel)."""
    worker = _own_worker(request)
    return render(request, "cheques/_panel_my_payouts.html", {
        "outlook": payout_services.worker_payout_outlook(worker=worker),
        "last_line": selectors.payout_lines_for(request.user).order_by("-batch__execution_date").first(),
    })


@wijkwerker_required
def my_payout_pdf(request, pk):
    line = get_object_or_404(selectors.payout_lines_for(request.user), pk=pk)
    return _pdf(payout_statement_file(line), f"afrekening-{line.batch.month:%Y-%m}.pdf")


@wijkwerker_required
def my_payout_year_pdf(request, year):
    worker = _own_worker(request)
    if year not in selectors.payout_years_of(worker):
        raise Http404
    return _pdf(payout_year_file(worker, year), f"jaaroverzicht-{year}.pdf")
