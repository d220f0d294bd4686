"""Reads on the activity list.

`activities_allowed_for` is THE answer to "which activities may this client ask for on this date":
forms, the request service, the public page and matching all ask here."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role
from wijkwerken.core.models import Municipality
from wijkwerken.core.selectors import scope_to_user

from ..models.activities import Activity, ActivityRestriction
from ..models.clients import Client


def activities_allowed_in(*, municipality: Municipality, category: str, on: datetime.date,
                          ex_pwa: bool = False) -> QuerySet:
    """The activities a client of `category` in `municipality` may ask for on `on`.

    The organiser's Flemish list valid on that date, minus the municipality's restrictions valid on that date,
    plus the municipality's own extensions valid on that date; ex-PWA-only activities only for ex-PWA clients.
    """
    restricted = ActivityRestriction.objects.filter(municipality=municipality).valid_on(on).values("activity_id")
    queryset = (
        Activity.objects.filter(organiser_id=municipality.organiser_id, category=category)
        .valid_on(on)
        .filter(Q(municipality__isnull=True) | Q(municipality=municipality))
        .exclude(pk__in=restricted)
    )
    if not ex_pwa:
        queryset = queryset.exclude(ex_pwa_only=True)
    return queryset.select_related("main_activity").order_by("main_activity__name", "name")


def activities_allowed_for(*, client: Client, on: datetime.date, municipality: Municipality | None = None) -> QuerySet:
    """The activities `client` may ask for on `on`, for work in `municipality` (the client's own by default)."""
    return activities_allowed_in(
        municipality=municipality or client.municipality, category=client.category, on=on, ex_pwa=client.is_ex_pwa
    )


def check_activity_allowed(*, client: Client, activity: Activity, on: datetime.date,
                           municipality: Municipality | None = None) -> None:
    """Raise a ValidationError with the reason when `activity` is not in `activities_allowed_for(...)`."""
    municipality = municipality or client.municipality
    if activities_allowed_for(client=client, on=on, municipality=municipality).filter(pk=activity.pk).exists():
        return
    day = on.strftime("%d/%m/%Y")
    if activity.ex_pwa_only and not client.is_ex_pwa:
        raise ValidationError(
            _("“%(activity)s” is reserved for ex-PWA clients (transitional measure).") % {"activity": activity.name},
            code="ex_pwa_only",
        )
    if activity.category != client.category:
        raise ValidationError(
            _("“%(activity)s” is not on the list for your client category.") % {"activity": activity.name},
            code="wrong_category",
        )
    if ActivityRestriction.objects.filter(municipality=municipality, activity=activity).valid_on(on).exists():
        raise ValidationError(
            _("%(municipality)s does not allow “%(activity)s” on %(date)s.")
            % {"municipality": municipality.name, "activity": activity.name, "date": day},
            code="restricted_in_municipality",
        )
    raise ValidationError(
        _("“%(activity)s” is not on the activity list of %(municipality)s on %(date)s.")
        % {"activity": activity.name, "municipality": municipality.name, "date": day},
        code="not_on_list",
    )


def activity_list_for(user) -> QuerySet:
    """The list rows a staff member may see: the organiser's Flemish list, and local extensions (gemeente:
    only its own municipality's)."""
    queryset = scope_to_user(Activity.objects.all(), user)
    if user.is_authenticated and user.role == Role.GEMEENTE:
        queryset = Activity.objects.filter(organiser_id=user.organiser_id).filter(
            Q(municipality__isnull=True) | Q(municipality_id=user.municipality_id)
        )
    return queryset.select_related("main_activity", "municipality")


def restrictions_for(user) -> QuerySet:
    return scope_to_user(
        ActivityRestriction.objects.all(), user, organiser_field="municipality__organiser",
        municipality_field="municipality",
    ).select_related("activity", "municipality", "created_by")
