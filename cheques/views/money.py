"""The organiser's money overview: the figures of a period, each linked to the rows behind it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from wijkwerken.accounts.permissions import beheerder_required
from wijkwerken.core.dates import date_param, today
from wijkwerken.core.pagination import page_of

from .. import overview as money
from ..overview import FIGURES, Period, figure_of, figure_rows

ROW_ORDER = {
    "cheques": ("-issued_on", "serial"), "payments": ("-received_on", "-pk"), "refunds": ("-created_at",),
    "batches": ("-execution_date", "-number"), "items": ("-date", "-pk"), "clients": ("name", "pk"),
    "bank_lines": ("-booking_date", "-pk"),
}
ROW_RELATED = {
    "cheques": ("client", "order", "prestatie"), "payments": ("order__client", "bank_line"), "refunds": (),
    "batches": (), "items": ("line__batch", "worker", "prestatie__client", "correction"), "clients": (),
    "bank_lines": (),
}


def _period(request) -> Period:
    """`?van=&tot=` (ISO dates); this year up to today by default. A period that ends before it starts is turned
    round, with a message."""
    on = today()
    start = date_param(request.GET.get("van"), on.replace(month=1, day=1))
    end = date_param(request.GET.get("tot"), on)
    if end < start:
        messages.warning(request, _("The period ended before it started: the dates were swapped."))
        start, end = end, start
    return Period(start=start, end=end)


def _rows(overview, *pairs):
    return [(sign, overview[slug]) for sign, slug in pairs]


@beheerder_required
def money_overview(request):
    period = _period(request)
    overview = money.money_overview(organiser=request.user.organiser, period=period)
    return render(request, "cheques/money_overview.html", {
        "overview": overview, "period": period,
        "cheque_rows": _rows(overview, ("", "in-portefeuille-begin"), ("+", "verkocht"), ("−", "gebruikt"),
                             ("−", "vervallen"), ("−", "terugbetaald")),
        "cheques_end": overview["in-portefeuille-einde"],
        "payout_rows": _rows(overview, ("", "vergoedingen"), ("+", "verplaatsingen"), ("+", "correcties")),
        "paid": overview["uitbetaald"],
        "money_rows": _rows(overview, ("", "ontvangen"), ("", "tegoed-terugbetaald")),
        "open_rows": _rows(overview, ("", "open-tegoed"), ("", "wachtrij"), ("", "onderweg")),
    })


@beheerder_required
def money_rows(request):
    spec = FIGURES.get(request.GET.get("cijfer", ""))
    if spec is None:
        raise Http404
    period = _period(request)
    organiser = request.user.organiser
    rows = figure_rows(spec, organiser, period).select_related(*ROW_RELATED[spec.kind]).order_by(
        *ROW_ORDER[spec.kind])
    figure = figure_of(spec, organiser, period)
    return render(request, "cheques/money_rows.html", {
        "spec": spec, "figure": figure, "period": period,
        "page": page_of(request, rows, count=figure.count, per_page=50),
        "params": f"cijfer={spec.slug}&{period.query}",
    })
