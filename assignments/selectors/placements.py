"""Reads on assignments, always starting from what the user may see."""

import datetime

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
