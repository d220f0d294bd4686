"""Privacy pages for the beheerder: who the retention rule anonymises next month, and the access requests.

The export files are served only here, through the user's organiser (someone else's is a 404), as an attachment."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.selectors import clients_for
from wijkwerken.accounts.permissions import beheerder_required
from wijkwerken.core.dates import today
from wijkwerken.core.downloads import document_response
from wijkwerken.core.pagination import page_of, page_of_combined
from wijkwerken.core.rules import rule_set_on
from workers.selectors import workers_visible_to

from . import selectors, services
from .models import ACCESS_EXPORT_KEPT, AccessStatus


@beheerder_required
def privacy_overview(request):
    rule_set = rule_set_on(organiser=request.user.organiser, on=today())
    page = page_of_combined(request, selectors.anonymisation_preview(request.user))
    page.object_list = selectors.preview_rows(request.user, page.object_list)
    return render(request, "privacy/privacy_overview.html", {
        "page": page,
        "retention_years": rule_set.retention_years,
        "access_requests": selectors.access_requests_for(request.user)[:10],
    })


@beheerder_required
def access_request_list(request):
    return render(request, "privacy/access_request_list.html", {
        "page": page_of(request, selectors.access_requests_for(request.user)), "kept_days": ACCESS_EXPORT_KEPT.days,
        "Status": AccessStatus,
    })


def _created(request, _access_request):
    messages.success(request, _("The access export is being made. Download it from the list of access requests."))
    return redirect("privacy:access_request_list")


@beheerder_required
@require_POST
def worker_access_request_create(request, pk):
    worker = _scoped_or_404(workers_visible_to(request.user), pk)
    return _created(request, services.access_request_create(worker=worker, actor=request.user))


@beheerder_required
@require_POST
def client_access_request_create(request, pk):
    client = _scoped_or_404(clients_for(request.user), pk)
    return _created(request, services.access_request_create(client=client, actor=request.user))


def _scoped_or_404(queryset, pk):
    person = queryset.filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


@beheerder_required
def access_request_download(request, pk):
    access_request = selectors.access_request_of(request.user, pk)
    if access_request.status == AccessStatus.REMOVED:
        messages.warning(request, _("The file of %(request)s was removed %(days)s days after it was made, as every "
                                    "access export is. Ask for a new access request from the person's page.")
                         % {"request": access_request, "days": ACCESS_EXPORT_KEPT.days})
        return redirect("privacy:access_request_list")
    if access_request.status == AccessStatus.REQUESTED or not access_request.file:
        raise Http404
    access_request = services.access_request_deliver(access_request=access_request, actor=request.user)
    return document_response(access_request.file, access_request.file_name(), "zip")
