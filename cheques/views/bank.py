"""Bank statements: uploading, their lines, and the queue of lines to handle."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import bemiddelaar_required
from wijkwerken.core.downloads import document_response
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import page_of, page_of_search

from .. import selectors
from ..forms import (
    AssignLineForm,
    BankImportForm,
    DiscardLineForm,
)
from ..models import BankLine
from ..services import bank_import as bank_services

QUEUE_PAGE = 50  # the queue's lines per page, oldest first


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
    imports = page_of(request, selectors.bank_imports_for(request.user))
    return render(request, "cheques/bank_import_list.html", {
        "form": form, "page": imports, "queue_count": selectors.queue_count(request.user)})


@bemiddelaar_required
def bank_import_detail(request, pk):
    bank_import = get_object_or_404(selectors.bank_imports_for(request.user), pk=pk)
    lines = bank_import.lines.select_related("client").order_by("source_line", "pk")
    page = page_of(request, lines)
    page.object_list = selectors.with_payments_and_credits(page.object_list)
    return render(request, "cheques/bank_import_detail.html", {
        "bank_import": bank_import, "progress": bank_services.bank_import_progress(bank_import), "page": page})


@bemiddelaar_required
def bank_import_file(request, pk):
    """The statement file as it was uploaded: always a download of unknown bytes, whatever its name says."""
    bank_import = get_object_or_404(selectors.bank_imports_for(request.user), pk=pk)
    return document_response(bank_import.file, bank_import.original_name, "bank_statement")


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
    # A page of the queue and the number of all its lines in one query (a window count, taken before the LIMIT).
    page = page_of_search(request, selectors.queue_for(request.user), per_page=QUEUE_PAGE)
    suggestions = selectors.suggestions_for_lines(page.object_list)
    for line in page.object_list:
        line.suggestions = suggestions[line.pk]
    return render(request, "cheques/bank_queue.html", {"page": page})


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
