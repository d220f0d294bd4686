"""Writes on requests for help (opdrachtaanvragen)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role
from wijkwerken.core.audit import audit_log
from wijkwerken.core.dates import today
from wijkwerken.core.models import Municipality
from wijkwerken.core.municipalities import municipality_for_postcode
from wijkwerken.core.notifications import notifications_send

from ..models import Activity, Client, HelpRequest, RequestStatus, ScheduleKind
from ..selectors import check_activity_allowed
from ..selectors.clients import on_behalf_of


def help_request_create(
    *, client: Client, activity: Activity, description: str, start_date: datetime.date, actor,
    schedule: str = ScheduleKind.ONCE, end_date: datetime.date | None = None, weekdays=(),
    time_from: datetime.time | None = None, time_until: datetime.time | None = None,
    hours_per_week: Decimal | None = None, special_needs: str = "", street: str = "", postcode: str = "",
    city: str = "", municipality: Municipality | None = None,
) -> HelpRequest:
    """A client (or staff on the client's behalf) asks for help with an allowed activity.

    The address defaults to the client's. The activity must be allowed for the client on the first and the
    last day, in the municipality where the work is done (`activities_allowed_for`).
    """
    if not client.can_request():
        raise ValidationError(_("This client has stopped and cannot ask for help."), code="client_stopped")
    if schedule == ScheduleKind.ONCE:
        end_date = start_date
        weekdays, hours_per_week = [], None
    elif end_date is None:
        raise ValidationError({"end_date": ValidationError(_("Fill in the last day of the period."),
                                                           code="end_required")})
    if start_date < today():
        raise ValidationError({"start_date": ValidationError(_("The date cannot be in the past."),
                                                             code="date_in_past")})
    if street:
        municipality = municipality_for_postcode(postcode=postcode, organiser=client.organiser,
                                                 municipality=municipality, asked_by_client=True)
    else:
        street, postcode, city = client.street, client.postcode, client.city
        municipality = client.municipality
    for day in sorted({start_date, end_date}):
        try:
            check_activity_allowed(client=client, activity=activity, on=day, municipality=municipality)
        except ValidationError as error:
            raise ValidationError({"activity": error}) from None

    with transaction.atomic():
        help_request = HelpRequest(
            organiser=client.organiser, client=client, activity=activity, description=description,
            street=street, postcode=postcode, city=city, municipality=municipality, schedule=schedule,
            start_date=start_date, end_date=end_date, weekdays=sorted(set(weekdays or [])), time_from=time_from,
            time_until=time_until, hours_per_week=hours_per_week, special_needs=special_needs, created_by=actor,
        )
        help_request.full_clean()
        help_request.save()
        audit_log(actor=actor, on_behalf_of=on_behalf_of(client, actor), obj=help_request, action="request.create",
                  summary=_("Request for “%(activity)s” made") % {"activity": activity.name})
    return help_request


def help_request_change_status(*, help_request: HelpRequest, status: str, actor, note: str = "") -> HelpRequest:
    """Staff move a request through the queue (the transitions dict decides what may follow)."""
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update(of=("self",)).select_related("client", "activity").get(
            pk=help_request.pk)
        if not help_request.can_change_to(status):
            raise ValidationError(
                _("A request with status “%(old)s” cannot become “%(new)s”.")
                % {"old": help_request.get_status_display(), "new": RequestStatus(status).label},
                code="invalid_transition",
            )
        old = help_request.status
        help_request.status = status
        help_request.status_note = note[:300]
        help_request.save(update_fields=["status", "status_note", "updated_at"])
        audit_log(actor=actor, on_behalf_of=on_behalf_of(help_request.client, actor), obj=help_request,
                  action=f"request.{status}",
                  summary=_("Status: %(status)s") % {"status": help_request.get_status_display()}
                  + (f" — {note}" if note else ""),
                  changes={"status": [old, status]})
        _notify_status(help_request, actor, note)
    return help_request


def _notify_status(help_request: HelpRequest, actor, note: str) -> None:
    """Tell the client's contacts when staff move their request on. Assigning is told by the assignment itself,
    and a client who changed the request knows already."""
    if help_request.status == RequestStatus.ASSIGNED:
        return
    users = [contact.user for contact in help_request.client.contacts.select_related("user")]
    if any(user.pk == getattr(actor, "pk", None) for user in users):
        return
    text = _("Your request for “%(activity)s” is now: %(status)s.") % {
        "activity": help_request.activity.name, "status": help_request.get_status_display()}
    if note:
        text += f" {note}"
    url = reverse("assignments:my_request_detail", args=[help_request.pk])
    key = f"request-status:{help_request.pk}:{help_request.status}"
    notifications_send(items=[(user, key, text, url) for user in users],
                       subject=_("Wijk-werken: news about your request"))


def help_request_cancel(*, help_request: HelpRequest, actor, reason: str = "") -> HelpRequest:
    """The client (or staff for the client) cancels a request that has not been assigned yet."""
    if getattr(actor, "role", None) == Role.GEBRUIKER and not help_request.client.contacts.filter(user=actor).exists():
        raise ValidationError(_("This is not your request."), code="not_own_request")
    return help_request_change_status(help_request=help_request, status=RequestStatus.CANCELLED, actor=actor,
                                      note=reason or _("Cancelled"))
