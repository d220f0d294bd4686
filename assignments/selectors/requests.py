"""Reads on requests for help, always starting from what the user may see."""

from django.db.models import QuerySet

from wijkwerken.accounts.models import ORGANISER_STAFF_ROLES, Role
from wijkwerken.core.selectors import scope_to_user

from ..models.requests import HelpRequest


def help_requests_for(user) -> QuerySet:
    """Staff: the organiser's queue; gemeente: requests in its municipality; a gebruiker: its client's only."""
    if user.is_authenticated and user.role == Role.GEBRUIKER:
        queryset = HelpRequest.objects.filter(client__contacts__user=user, organiser_id=user.organiser_id)
    elif user.is_authenticated and (user.role in ORGANISER_STAFF_ROLES or user.role == Role.GEMEENTE):
        queryset = scope_to_user(HelpRequest.objects.all(), user, municipality_field="municipality")
    else:
        queryset = HelpRequest.objects.none()
    return queryset.select_related("client", "activity", "activity__main_activity", "municipality")
