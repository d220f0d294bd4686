"""The activity list: the public 'what may be asked' page, and its maintenance by the beheerder and gemeente."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import beheerder_required, role_required
from wijkwerken.core.dates import today
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.models import Municipality

from .. import services
from ..forms.activities import ActivityForm, EndForm, PublicListForm, RestrictionForm
from ..models.activities import Activity, ActivityStatus
from ..models.clients import ClientCategory, ClientStatus
from ..models.requests import RequestStatus
from ..selectors.activities import activities_allowed_in, activity_list_for, restrictions_for
from ..selectors.clients import clients_for
from ..selectors.requests import help_requests_for

activity_viewers = role_required(Role.BEHEERDER, Role.BEMIDDELAAR, Role.GEMEENTE)


def public_activity_list(request, nis_code=None, category=None):
    """What may be asked, per municipality and client category, on a date (today by default).

    Also at a stable address per municipality and category (/activiteiten/wat-mag/24062/particulier/) that a
    municipality can link to from its own website.
    """
    data = request.GET.copy() if request.GET else None
    if nis_code is not None:
        municipality = get_object_or_404(Municipality, nis_code=nis_code, organiser__isnull=False)
        if category not in ClientCategory.values:
            raise Http404
        data = data or request.GET.copy()
        data.update({"municipality": str(municipality.pk), "category": category})
    form = PublicListForm(data)
    groups, on = [], today()
    if form.is_valid():
        on = form.cleaned_data["on"] or today()
        allowed = activities_allowed_in(municipality=form.cleaned_data["municipality"],
                                        category=form.cleaned_data["category"], on=on)
        groups = [(main, list(items)) for main, items in groupby(allowed, key=lambda a: a.main_activity)]
    return render(request, "assignments/activity_public.html", {"form": form, "groups": groups, "on": on})


@activity_viewers
def activity_list(request):
    category = request.GET.get("category") or ClientCategory.PARTICULIER
    if category not in ClientCategory.values:
        category = ClientCategory.PARTICULIER
    user = request.user
    rows = list(activity_list_for(user).filter(category=category).order_by("main_activity__name", "name",
                                                                           "valid_from"))
    restrictions = list(restrictions_for(user).filter(activity__category=category))
    by_activity = {}
    for restriction in restrictions:
        by_activity.setdefault(restriction.activity_id, []).append(restriction)
    for row in rows:
        row.municipal_restrictions = by_activity.get(row.pk, [])
    groups = [(main, list(items)) for main, items in groupby(rows, key=lambda a: a.main_activity)]
    return render(request, "assignments/activity_list.html", {
        "groups": groups, "category": category, "categories": ClientCategory.choices, "today": today(),
        "is_beheerder": user.role == Role.BEHEERDER, "is_gemeente": user.role == Role.GEMEENTE,
        "is_empty": not Activity.objects.filter(organiser_id=user.organiser_id).exists(),
        "end_form": EndForm(),
    })


@beheerder_required
@require_POST
def activity_list_load(request):
    count = services.activity_list_seed(organiser=request.user.organiser, actor=request.user)
    messages.success(request, ngettext("%(count)s activity was loaded.", "%(count)s activities were loaded.", count)
                     % {"count": count})
    return redirect("assignments:activity_list")


@role_required(Role.BEHEERDER, Role.GEMEENTE)
def activity_create(request):
    user = request.user
    form = ActivityForm(request.POST or None, initial={"category": request.GET.get("category")})
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                organiser=user.organiser, actor=user,
                municipality=user.municipality if user.role == Role.GEMEENTE else None, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": activity.name})
            return redirect(f"{_list_url()}?category={activity.category}")
    return render(request, "assignments/activity_form.html", {"form": form})


def _list_url():
    return reverse("assignments:activity_list")


@role_required(Role.BEHEERDER, Role.GEMEENTE)
@require_POST
def activity_end(request, pk):
    activity = get_object_or_404(activity_list_for(request.user), pk=pk)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Fill in a valid date."), code="invalid_date")
        services.activity_end(activity=activity, last_day=form.cleaned_data["last_day"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” ends after %(date)s.") % {
            "name": activity.name, "date": form.cleaned_data["last_day"].strftime("%d/%m/%Y")})
    return redirect(f"{_list_url()}?category={activity.category}")


@beheerder_required
@require_POST
def activity_confirm(request, pk):
    """The beheerder confirms an example from practice as part of the organiser's official list."""
    activity = get_object_or_404(activity_list_for(request.user), pk=pk)
    try:
        services.activity_update(activity=activity, status=ActivityStatus.OFFICIAL, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” is now official.") % {"name": activity.name})
    return redirect(f"{_list_url()}?category={activity.category}")


@role_required(Role.GEMEENTE)
def activity_restrict(request):
    user = request.user
    flemish = activity_list_for(user).filter(municipality__isnull=True).valid_on(today()).order_by(
        "category", "main_activity__name", "name")
    form = RestrictionForm(request.POST or None, activities=flemish,
                           initial={"activity": request.GET.get("activity")})
    if request.method == "POST" and form.is_valid():
        try:
            restriction = services.activity_restrict(municipality=user.municipality, actor=user,
                                                     **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” is no longer allowed in %(municipality)s from %(date)s.") % {
                "name": restriction.activity.name, "municipality": user.municipality.name,
                "date": restriction.valid_from.strftime("%d/%m/%Y")})
            return redirect(f"{_list_url()}?category={restriction.activity.category}")
    return render(request, "assignments/restriction_form.html", {"form": form})


@role_required(Role.GEMEENTE)
@require_POST
def restriction_end(request, pk):
    restriction = get_object_or_404(restrictions_for(request.user), pk=pk)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Fill in a valid date."), code="invalid_date")
        services.activity_restriction_end(restriction=restriction, last_day=form.cleaned_data["last_day"],
                                          actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The restriction was lifted."))
    return redirect(f"{_list_url()}?category={restriction.activity.category}")


@role_required(Role.GEMEENTE)
def panel_municipality(request):
    user = request.user
    return render(request, "assignments/_panel_municipality.html", {
        "restrictions": restrictions_for(user).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today())).order_by("valid_from"),
        "local_activities": activity_list_for(user).filter(municipality=user.municipality).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today())),
        "open_requests": help_requests_for(user).select_related(None).filter(status__in=[RequestStatus.NEW,
                                                                    RequestStatus.IN_PROGRESS]).count(),
        "clients": clients_for(user).select_related(None).filter(
            status__in=[status for status in ClientStatus.values if status != ClientStatus.STOPPED]).count(),
        "today": today(),
    })
