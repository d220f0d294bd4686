"""Reads on online registrations: the organiser's staff see their own organiser's held ones."""

from django.db.models import QuerySet

from wijkwerken.core.selectors import scope_to_user

from ..models import ClientRegistration, RegistrationStatus


def registrations_for(user) -> QuerySet:
    """The registrations staff deal with (confirmed ones; an unconfirmed one is nobody's business yet)."""
    return scope_to_user(
        ClientRegistration.objects.exclude(status=RegistrationStatus.UNCONFIRMED), user,
    ).select_related("municipality", "existing_client", "reviewed_by")
