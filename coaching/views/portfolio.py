"""Closing the trajectory (final measurement and closing summary) and the portfolio PDF, served only through
views scoped to the user, as an attachment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import wijkwerker_required
from wijkwerken.core.downloads import document_response
from workers.selectors import worker_of_user

from .. import services
from ..forms.portfolio import ClosingForm
from ..models import MeasurementMoment, Portfolio
from ..pdf import store_portfolio_pdf
from ..selectors.portfolio import portfolio_for_staff, portfolios_of
from .common import file_roles_required, open_file, run_service


@file_roles_required
def closing(request, pk):
    worker, _relation = open_file(request.user, pk, write=True)
    trajectory = worker.trajectories.order_by("-start_date").first()
    final = (worker.measurements.filter(trajectory=trajectory, moment=MeasurementMoment.END).first()
             if trajectory else None)
    latest = portfolios_of(worker).first()
    form = ClosingForm(request.POST or None, initial={"closing_summary": latest.closing_summary if latest else ""})
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form, lambda: services.portfolio_issue(worker=worker, actor=request.user, **form.cleaned_data),
            _("The portfolio was issued; the worker can download it from their page."),
            redirect_to=("coaching:worker_file", worker.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/closing.html", {
        "worker": worker, "trajectory": trajectory, "final": final, "form": form, "portfolios": portfolios_of(worker),
    }, status=400 if request.method == "POST" else 200)


def _pdf_response(portfolio: Portfolio):
    if not portfolio.pdf:
        store_portfolio_pdf(portfolio.pk)
        portfolio.refresh_from_db()
    return document_response(portfolio.pdf, portfolio.file_name, "pdf")


@file_roles_required
def portfolio_download(request, portfolio_pk):
    portfolio = portfolio_for_staff(request.user, portfolio_pk)
    open_file(request.user, portfolio.worker_id)
    return _pdf_response(portfolio)


@wijkwerker_required
def my_portfolio_download(request, portfolio_pk):
    worker = worker_of_user(request.user)
    if worker is None:
        raise Http404
    return _pdf_response(get_object_or_404(portfolios_of(worker).select_related("worker"), pk=portfolio_pk))


@wijkwerker_required
@require_POST
def my_portfolio_request(request):
    worker = worker_of_user(request.user)
    if worker is None:
        raise Http404
    try:
        services.portfolio_request(worker=worker, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your work coach has been asked to make your portfolio."))
    return redirect("coaching:my_coaching")
