"""Reads, one module per subdomain (clients, activities, requests, placements, prestaties, matching), always
starting from what the user may see. Other apps import from this package."""

from .activities import (
    activities_allowed_for,
    activities_allowed_in,
    activity_list_for,
    check_activity_allowed,
    restrictions_for,
)
from .clients import (
    client_of_user,
    clients_for,
    contact_users_by_client,
    fee_for_year,
    on_behalf_of,
)
from .matching import (
    BAD,
    CERTIFICATES_FOR,
    FILTERS,
    GOOD,
    POINTS,
    POINTS_EXPLAINED,
    SORTS,
    WARN,
    WEEKS_PER_MONTH,
    Candidate,
    Chip,
    candidates_for,
    day_part,
    planned_minutes_per_month,
    requested_slots,
)
from .placements import (
    assignments_for,
    week_of,
    worker_of_user,
)
from .prestaties import (
    HourCaps,
    dispute_queue,
    format_minutes,
    hour_caps,
    hour_caps_many,
    minutes_used,
    prestaties_for,
    validation_queue,
    workers_with_minutes_left,
)
from .requests import (
    help_requests_for,
)

__all__ = [
    "BAD",
    "CERTIFICATES_FOR",
    "Candidate",
    "Chip",
    "FILTERS",
    "GOOD",
    "HourCaps",
    "POINTS",
    "POINTS_EXPLAINED",
    "SORTS",
    "WARN",
    "WEEKS_PER_MONTH",
    "activities_allowed_for",
    "activities_allowed_in",
    "activity_list_for",
    "assignments_for",
    "candidates_for",
    "check_activity_allowed",
    "client_of_user",
    "clients_for",
    "contact_users_by_client",
    "day_part",
    "dispute_queue",
    "fee_for_year",
    "format_minutes",
    "help_requests_for",
    "hour_caps",
    "hour_caps_many",
    "minutes_used",
    "on_behalf_of",
    "planned_minutes_per_month",
    "prestaties_for",
    "requested_slots",
    "restrictions_for",
    "validation_queue",
    "week_of",
    "worker_of_user",
    "workers_with_minutes_left",
]
