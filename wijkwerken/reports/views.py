"""Reports for the beheerder (every municipality and the whole organiser) and municipal staff (their own
municipality), the fiscal attests for the beheerder, and the attest panels on the clients' money pages.

Files are served only here, through the user's scope (someone else's is a 404), always as an attachment."""

import csv
import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cheques.selectors import client_for_gebruiker, clients_of_staff
from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import (
    beheerder_required,
    bemiddelaar_required,
    gebruiker_required,
    gemeente_required,
    role_required,
)
from wijkwerken.core.dates import today, year_param
from wijkwerken.core.downloads import DOCUMENT_TYPES, document_response, protect
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import page_of

from . import selectors, services
from .documents import key_figures, report_charts
from .exports import attest_list_header, attest_list_rows, write_attest_list_xlsx
from .forms import AttestBatchForm, AttestRegenerateForm, ReportRequestForm
from .models import BuildStatus, ReportAudience
from .tables import tables_from_json

reports_required = role_required(Role.BEHEERDER, Role.GEMEENTE)

FORMATS = {  # format in the URL: (stored field, document kind, file extension)
    "pdf": ("pdf", "pdf", "pdf"),
    "xlsx": ("xlsx", "xlsx", "xlsx"),
    "csv": ("csv_zip", "zip", "zip"),
}


@reports_required
def report_overview(request):
    """Municipal staff go straight to their municipality's reports; the beheerder sees every municipality."""
    if request.user.role == Role.GEMEENTE:
        return redirect("reports:municipality_reports", pk=request.user.municipality_id)
    municipalities = list(selectors.report_municipalities_for(request.user))
    latest = selectors.latest_ready_report_by_municipality(request.user)
    for municipality in municipalities:
        municipality.latest_report = latest.get(municipality.pk)
    return render(request, "reports/report_overview.html", {
        "municipalities": municipalities,
        "organiser_reports": selectors.latest_reports(request.user, organiser_wide=True, limit=5),
    })


def _request_page(request, *, municipality, template_context):
    beheerder = request.user.role == Role.BEHEERDER
    form = ReportRequestForm(request.POST or None, choose_audience=beheerder and municipality is not None)
    if request.method == "POST" and form.is_valid():
        if municipality is None:
            audience = ReportAudience.ORGANISER
        elif beheerder:
            audience = form.cleaned_data["audience"]
        else:
            audience = ReportAudience.MUNICIPALITY
        try:
            report = services.report_request(organiser=request.user.organiser, municipality=municipality,
                                             audience=audience, period=form.cleaned_data["period"],
                                             actor=request.user)
        except services.AlreadyRunning as error:
            messages.info(request, error.messages[0])
            if error.existing is not None:
                return redirect("reports:report_detail", pk=error.existing.pk)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The report is being made; this page shows how far it is."))
            return redirect("reports:report_detail", pk=report.pk)
    page = page_of(request, selectors.latest_reports(request.user, municipality=municipality,
                                                     organiser_wide=municipality is None))
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/report_list.html", {"form": form, "page": page, "municipality": municipality,
                                                         **template_context}, status=status)


@reports_required
def municipality_reports(request, pk):
    municipality = get_object_or_404(selectors.report_municipalities_for(request.user), pk=pk)
    return _request_page(request, municipality=municipality, template_context={})


@beheerder_required
def organiser_reports(request):
    return _request_page(request, municipality=None, template_context={"organiser": request.user.organiser})


@reports_required
def report_detail(request, pk):
    report = get_object_or_404(selectors.reports_for(request.user), pk=pk)
    tables = tables_from_json(report.figures.get("tables", [])) if report.is_ready else []
    summary = next((table for table in tables if table.key == "kerncijfers"), None)
    return render(request, "reports/report_detail.html", {
        "report": report, "summary": summary, "charts": report_charts(tables), "key_figures": key_figures(tables),
    })


@reports_required
def report_progress(request, pk):
    report = get_object_or_404(selectors.reports_for(request.user), pk=pk)
    response = render(request, "reports/_report_progress.html", {"report": report})
    if request.htmx and not report.is_busy:
        response["HX-Refresh"] = "true"  # show the downloads and the figures
    return response


@reports_required
@require_POST
def report_retry(request, pk):
    report = get_object_or_404(selectors.reports_for(request.user), pk=pk)
    try:
        services.report_retry(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The report is being made again."))
    return redirect("reports:report_detail", pk=report.pk)


@reports_required
def report_download(request, pk, file_format):
    if file_format not in FORMATS:
        raise Http404
    report = get_object_or_404(selectors.reports_for(request.user), pk=pk, status=BuildStatus.DONE)
    field_name, kind, extension = FORMATS[file_format]
    return document_response(getattr(report, field_name), report.file_name(extension), kind)


@gemeente_required
def panel_gemeente(request):
    """On the start page of municipal staff: their newest reports, with the downloads."""
    return render(request, "reports/_panel_gemeente.html", {
        "reports": selectors.latest_reports(request.user, municipality=request.user.municipality, limit=3),
    })


# --- fiscal attests -----------------------------------------------------------------------------------------------

def _year_from(request) -> int:
    return year_param(request.GET.get("jaar"), today().year - 1)


@beheerder_required
def attest_overview(request):
    year = _year_from(request)
    form = AttestBatchForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            services.attest_batch_request(organiser=request.user.organiser, year=year, actor=request.user)
        except services.AlreadyRunning as error:
            messages.info(request, error.messages[0])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The fiscal attests of %(year)s are being made.") % {"year": year})
            return redirect(f"{reverse('reports:attest_overview')}?jaar={year}")
    batches = selectors.attest_batches_for(request.user)
    return render(request, "reports/attest_overview.html", {
        "form": form, "year": year, "years": selectors.attest_years(request.user),
        "page": page_of(request, selectors.attests_of_year(request.user, year)), "params": f"jaar={year}",
        "batch": batches.filter(year=year).first(), "batches": batches[:10],
    }, status=400 if request.method == "POST" else 200)


@beheerder_required
def attest_batch_progress(request, pk):
    batch = get_object_or_404(selectors.attest_batches_for(request.user), pk=pk)
    response = render(request, "reports/_attest_batch_progress.html", {"batch": batch})
    if request.htmx and not batch.is_busy:
        response["HX-Refresh"] = "true"
    return response


@beheerder_required
@require_POST
def attest_batch_retry(request, pk):
    batch = get_object_or_404(selectors.attest_batches_for(request.user), pk=pk)
    try:
        services.attest_batch_retry(batch=batch, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The fiscal attests of %(year)s are being made again.") % {"year": batch.year})
    return redirect(f"{reverse('reports:attest_overview')}?jaar={batch.year}")


class _Echo:
    def write(self, value):
        return value


@beheerder_required
def attest_list_download(request, year, file_format):
    attests = selectors.attests_of_year(request.user, year)
    name = f"fiscale-attesten-{year}"
    if file_format == "csv":
        writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

        def lines():
            yield "\ufeff"
            yield writer.writerow(attest_list_header())
            for row in attest_list_rows(attests.iterator(chunk_size=2000), decimal_comma=True):
                yield writer.writerow(row)

        response = StreamingHttpResponse(lines(), content_type=DOCUMENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return protect(response)
    if file_format == "xlsx":
        target = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes (and so deletes) it
        write_attest_list_xlsx(attests.iterator(chunk_size=2000), target, year=year)
        target.seek(0)
        return document_response(target, f"{name}.xlsx", "xlsx")
    raise Http404


@role_required(Role.BEHEERDER, Role.BEMIDDELAAR, Role.GEBRUIKER)
def attest_download(request, pk):
    attest = get_object_or_404(selectors.attests_visible_to(request.user), pk=pk)
    if not attest.pdf:
        attest = services.fiscal_attest_render(attest.pk)
    return document_response(attest.pdf, attest.file_name(), "pdf")


@gebruiker_required
def my_attests_panel(request):
    """On the client's wallet page: "Fiscaal attest <year>" for each year it has one (private clients only)."""
    client = client_for_gebruiker(request.user)
    if client is None:
        raise Http404
    return render(request, "reports/_panel_my_attests.html", {
        "client": client, "attests": selectors.current_attests(client), "next_year": today().year,
    })


def _client_panel(request, client, *, form=None, status=200):
    attests = list(selectors.client_attests(client))
    return render(request, "reports/_panel_client_attests.html", {
        "client": client, "attests": attests,
        "form": form or AttestRegenerateForm(years={attest.year for attest in attests}),
    }, status=status)


@bemiddelaar_required
def client_attests_panel(request, client_pk):
    client = get_object_or_404(clients_of_staff(request.user), pk=client_pk)
    return _client_panel(request, client)


@bemiddelaar_required
@require_POST
def client_attest_regenerate(request, client_pk):
    client = get_object_or_404(clients_of_staff(request.user), pk=client_pk)
    form = AttestRegenerateForm(request.POST, years=set(selectors.client_attests(client).values_list("year",
                                                                                                   flat=True)))
    if form.is_valid():
        try:
            attest = services.fiscal_attest_regenerate(client=client, year=form.cleaned_data["year"],
                                                       actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The fiscal attest %(year)s was made again (version %(version)s).")
                             % {"year": attest.year, "version": attest.version})
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect("cheques:client_money", client_pk=client.pk)

