"""Wellbeing check-ins: the worker on the phone, or the coach together with the worker."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wijkwerken.accounts.permissions import wijkwerker_required
from wijkwerken.core.errors import attach_errors
from workers.selectors import worker_of_user

from .. import services
from ..forms.wellbeing import CheckInForm
from .common import file_roles_required, open_file, run_service


@file_roles_required
def check_in_create(request, pk):
    worker, _relation = open_file(request.user, pk, write=True)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form, lambda: services.check_in_record(worker=worker, actor=request.user, **form.cleaned_data),
            _("The check-in was saved."), redirect_to=("coaching:worker_file", worker.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/check_in_form.html", {"worker": worker, "form": form, "own": False},
                  status=400 if request.method == "POST" else 200)


@wijkwerker_required
def my_check_in(request):
    worker = worker_of_user(request.user)
    if worker is None:
        return redirect("coaching:my_coaching")
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_record(worker=worker, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you for your check-in!"))
            return redirect("coaching:my_coaching")
    return render(request, "coaching/check_in_form.html", {"worker": worker, "form": form, "own": True},
                  status=400 if request.method == "POST" else 200)
