"""Reads on assignments, always starting from what the user may see."""

import datetime
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import QuerySet

from wijkwerken.accounts.models import ORGANISER_STAFF_ROLES, Role
from wijkwerken.core.selectors import scope_to_user

from ..models.placements import Assignment


def scoped_to_participants(queryset: QuerySet, user) -> QuerySet:
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if user.role in ORGANISER_STAFF_ROLES:
        return scope_to_user(queryset, user)
    if user.role == Role.WIJKWERKER:
        return queryset.filter(worker__user=user)
    if user.role == Role.GEBRUIKER:
        return queryset.filter(client__contacts__user=user)
    return queryset.none()  # municipal staff see figures, not people's hours


def assignments_for(user) -> QuerySet:
    return scoped_to_participants(Assignment.objects.all(), user).select_related(
        "worker", "client", "activity", "municipality")


def worker_of_user(user):
    from workers.models import Worker

    if not (user.is_authenticated and user.role == Role.WIJKWERKER):
        return None
    return Worker.objects.select_related("organiser", "municipality").filter(user=user).first()


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


@dataclass(frozen=True)
class JobDetails:
    """Where the job is and whom to call, for the worker's job page."""

    address: str
    map_app_url: str  # a geo: URI, opened by the phone's maps app
    map_web_url: str  # OpenStreetMap's search, for phones and computers without a maps app
    contact_name: str
    contact_phone: str


def job_details(assignment: Assignment) -> JobDetails:
    """The place of the request and the client's main contact (their phone, else the client's)."""
    help_request = assignment.request
    address = f"{help_request.street}, {help_request.postcode} {help_request.city}"
    contact = (assignment.client.contacts.select_related("user").order_by("-is_primary", "pk").first())
    contact_name = contact.user.get_full_name() if contact else ""
    contact_phone = (contact.user.phone if contact and contact.user.phone else "") or assignment.client.phone
    return JobDetails(
        address=address,
        map_app_url=f"geo:0,0?q={quote(address)}",
        map_web_url=f"https://www.openstreetmap.org/search?query={quote(address)}",
        contact_name=contact_name or assignment.client.name,
        contact_phone=contact_phone,
    )
