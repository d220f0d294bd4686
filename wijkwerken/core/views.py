from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import beheerder_required, role_required, staff_required

from . import services
from .dates import today
from .downloads import document_response
from .errors import attach_errors
from .forms import (
    ChequePriceForm,
    MunicipalityAddForm,
    OrganiserForm,
    OrganiserLogoForm,
    PayoutCalendarForm,
    PayoutDateForm,
    RuleSetForm,
)
from .models import ChequePrice, PayoutDate, RuleSet
from .pagination import page_of
from .rules import next_payout_date, rule_set_on
from .search import FIELD_NAME, SOURCES, find, matches_context
from .selectors import (
    audit_history,
    municipal_accounts,
    municipalities_visible_to,
    municipalities_with_prices,
    rule_sets_of,
)
from .start import START_PAGES


@staff_required
def search_results(request, source):
    """The matches of a search-as-you-type field (`SearchSelectField`), among what the user may choose from."""
    source = SOURCES.get(source)
    field, id_ = request.GET.get("field", ""), request.GET.get("id", "")
    if source is None or not FIELD_NAME.match(field) or not FIELD_NAME.match(id_.lower()):
        raise Http404
    matches = find(source, source.choices(request.user), request.GET.get(f"{field}_q", ""))
    chosen = request.GET.get(field, "")
    context = matches_context(source, name=field, id_=id_, matches=matches,
                              chosen=chosen if chosen in {value for value, _label in matches.options} else "")
    return render(request, "core/widgets/_search_matches.html", {**context, "oob": True})


@login_required
def home(request):
    user = request.user
    if user.role not in START_PAGES or not user.organiser_id:
        raise PermissionDenied
    template, build_context = START_PAGES[user.role]
    return render(request, template, {"organiser": user.organiser, **build_context(user)})


@beheerder_required
def organiser_edit(request):
    organiser = request.user.organiser
    form = OrganiserForm(request.POST or None, instance=organiser)
    if request.method == "POST" and form.is_valid():
        try:
            services.organiser_update(organiser=organiser, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organiser settings were saved."))
            return redirect("core:organiser_edit")
    organiser.refresh_from_db()
    return render(request, "core/organiser_edit.html",
                  {"form": form, "organiser": organiser, "history": audit_history(organiser),
                   "logo_form": OrganiserLogoForm()})


@beheerder_required
@require_POST
def organiser_logo(request):
    organiser = request.user.organiser
    form = OrganiserLogoForm(request.POST, request.FILES)
    if form.is_valid():
        logo = None if form.cleaned_data["remove"] else form.cleaned_data["logo"]
        services.organiser_logo_set(organiser=organiser, logo=logo, actor=request.user)
        messages.success(request, _("The logo was saved.") if logo is not None else _("The logo was removed."))
        return redirect("core:organiser_edit")
    organiser.refresh_from_db()
    return render(request, "core/organiser_edit.html", {
        "form": OrganiserForm(instance=organiser), "organiser": organiser, "history": audit_history(organiser),
        "logo_form": form}, status=400)


@staff_required
def organiser_logo_image(request):
    """The organiser's own logo, for its staff only."""
    organiser = request.user.organiser
    name = organiser.logo.name.rsplit("/", 1)[-1]
    # The service stores the logo under the extension of the format Pillow recognised (PNG or JPEG).
    return document_response(organiser.logo, name, "png" if name.endswith(".png") else "jpeg")


@role_required(Role.BEHEERDER, Role.BEMIDDELAAR)
def municipality_list(request):
    return render(request, "core/municipality_list.html", {
        "municipalities": municipalities_with_prices(user=request.user, on=today()),
        "can_manage": request.user.role == Role.BEHEERDER,
    })


@beheerder_required
def municipality_add(request):
    form = MunicipalityAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            municipality = services.municipality_assign(
                organiser=request.user.organiser, nis_code=form.cleaned_data["nis_code"], actor=request.user)
        except ValidationError as error:
            form.add_error("nis_code", error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": municipality.name})
            return redirect("core:municipality_detail", pk=municipality.pk)
    return render(request, "core/municipality_add.html", {"form": form})


@role_required(Role.BEHEERDER, Role.BEMIDDELAAR)
def municipality_detail(request, pk):
    municipality = get_object_or_404(municipalities_visible_to(request.user).prefetch_related("postcodes"), pk=pk)
    can_manage = request.user.role == Role.BEHEERDER
    form = ChequePriceForm(organiser=municipality.organiser) if can_manage else None
    return render(request, "core/municipality_detail.html", _municipality_context(request, municipality, form))


def _municipality_context(request, municipality, form):
    [with_prices] = [m for m in municipalities_with_prices(user=request.user, on=today()) if m.pk == municipality.pk]
    return {
        "municipality": with_prices,
        "prices": ChequePrice.objects.filter(municipality=municipality).select_related("created_by"),
        "accounts": municipal_accounts(municipality),
        "form": form,
        "can_manage": request.user.role == Role.BEHEERDER,
        "history": audit_history(municipality),
    }


@beheerder_required
@require_POST
def cheque_price_set(request, pk):
    municipality = get_object_or_404(municipalities_visible_to(request.user), pk=pk)
    form = ChequePriceForm(request.POST, organiser=municipality.organiser)
    if form.is_valid():
        try:
            decision = services.cheque_price_set(
                municipality=municipality, price=form.cleaned_data["price"],
                decided_on=form.cleaned_data["decided_on"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new price of € %(price)s applies from %(date)s.") % {
                "price": f"{decision.price:.2f}".replace(".", ","), "date": decision.valid_from.strftime("%d/%m/%Y")})
            return redirect("core:municipality_detail", pk=municipality.pk)
    return render(request, "core/municipality_detail.html", _municipality_context(request, municipality, form),
                  status=400)


@beheerder_required
@require_POST
def municipality_release(request, pk):
    municipality = get_object_or_404(municipalities_visible_to(request.user), pk=pk)
    try:
        services.municipality_release(municipality=municipality, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("core:municipality_detail", pk=municipality.pk)
    messages.success(request, _("%(name)s was removed from your organisation.") % {"name": municipality.name})
    return redirect("core:municipality_list")


@staff_required
def rule_set_list(request):
    return _rule_set_list_page(request)


def _rule_set_list_page(request, *, date_form=None, calendar_form=None, status=200):
    organiser = request.user.organiser
    current = rule_set_on(organiser=organiser, on=today())
    can_manage = request.user.role == Role.BEHEERDER
    return render(request, "core/rule_set_list.html", {
        "rule_sets": list(rule_sets_of(request.user)), "current": current, "fields": _rule_rows(current),
        "can_manage": can_manage,
        "payout_dates": PayoutDate.objects.filter(organiser=organiser, month__year__gte=today().year - 1),
        "next_payout": next_payout_date(organiser=organiser),
        "date_form": (date_form or PayoutDateForm()) if can_manage else None,
        "calendar_form": (calendar_form or PayoutCalendarForm()) if can_manage else None,
    }, status=status)


@beheerder_required
@require_POST
def payout_date_set(request):
    form = PayoutDateForm(request.POST)
    if form.is_valid():
        try:
            payout_date = services.payout_date_set(organiser=request.user.organiser, actor=request.user,
                                                   **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The work of %(month)s is paid on %(date)s.") % {
                "month": payout_date.month.strftime("%m/%Y"), "date": payout_date.pays_on.strftime("%d/%m/%Y")})
            return redirect(f"{reverse('core:rule_set_list')}#payout-calendar")
    return _rule_set_list_page(request, date_form=form, status=400)


@beheerder_required
@require_POST
def payout_calendar_fill(request):
    form = PayoutCalendarForm(request.POST)
    if form.is_valid():
        try:
            dates = services.payout_calendar_fill(organiser=request.user.organiser, actor=request.user,
                                                  **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, ngettext("%(count)s payment date of %(year)s set.",
                                               "%(count)s payment dates of %(year)s set.", len(dates))
                             % {"count": len(dates), "year": form.cleaned_data["year"]})
            return redirect(f"{reverse('core:rule_set_list')}#payout-calendar")
    return _rule_set_list_page(request, calendar_form=form, status=400)


def _rule_value(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _rule_rows(rule_set, previous=None):
    rows = []
    for name in RuleSet.RULE_FIELDS:
        value = getattr(rule_set, name)
        old = getattr(previous, name) if previous is not None else None
        rows.append({"label": RuleSet._meta.get_field(name).verbose_name, "value": _rule_value(value),
                     "previous": _rule_value(old) if previous is not None else None,
                     "changed": previous is not None and old != value})
    return rows


@staff_required
def rule_set_detail(request, pk):
    rule_set = get_object_or_404(rule_sets_of(request.user), pk=pk)
    previous = RuleSet.objects.filter(organiser=rule_set.organiser, valid_from__lt=rule_set.valid_from).first()
    return render(request, "core/rule_set_detail.html", {
        "rule_set": rule_set, "previous": previous, "rows": _rule_rows(rule_set, previous),
        "history": audit_history(rule_set),
    })


@beheerder_required
def rule_set_create(request):
    organiser = request.user.organiser
    form = RuleSetForm(request.POST or None, organiser=organiser)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            rule_set = services.rule_set_create(
                organiser=organiser, valid_from=data.pop("valid_from"), note=data.pop("note"), values=data,
                actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new rules apply from %(date)s.") % {
                "date": rule_set.valid_from.strftime("%d/%m/%Y")})
            return redirect("core:rule_set_detail", pk=rule_set.pk)
    return render(request, "core/rule_set_form.html", {"form": form})


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def health(request):
    """For load balancers and docker-compose health checks: the database and the cache answer."""
    from django.core.cache import cache
    from django.db import connection
    from django.http import JsonResponse

    status = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        status["database"] = "error"
    try:
        cache.set("health-check", "ok", 5)
        status["cache"] = "ok" if cache.get("health-check") == "ok" else "error"
    except Exception:  # noqa: BLE001
        status["cache"] = "error"
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)


# The new messages shown at once; more than this is unusual (a batch of hours to confirm) and the rest wait.
NEW_NOTIFICATIONS_SHOWN = 50


@login_required
def notification_list(request):
    """The new messages (unread and still true), grouped per day; the others are in the archive."""
    from .notifications import new_notifications

    new = new_notifications(request.user)
    shown = list(new[:NEW_NOTIFICATIONS_SHOWN + 1])
    return render(request, "core/notification_list.html", {
        "notifications": shown[:NEW_NOTIFICATIONS_SHOWN],
        "more": new.count() - NEW_NOTIFICATIONS_SHOWN if len(shown) > NEW_NOTIFICATIONS_SHOWN else 0,
    })


@login_required
def notification_archive(request):
    """Read messages and messages about something since done, newest first, a page at a time."""
    from .notifications import archived_notifications

    return render(request, "core/notification_archive.html",
                  {"page": page_of(request, archived_notifications(request.user))})


@login_required
@require_POST
def notifications_read_all(request):
    from .notifications import notifications_mark_all_read

    count = notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, ngettext("%(count)s message marked as read.", "%(count)s messages marked as read.",
                                           count) % {"count": count})
    return redirect("core:notification_list")


@login_required
@require_POST
def notification_open(request, pk):
    from .models import Notification
    from .notifications import notification_mark_read

    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification, actor=request.user)
    return redirect(notification.url or "core:notification_list")
