"""The assignments app's models, one module per subdomain: clients, registrations, activities, requests,
placements, prestaties and matching. Importing them here lets Django find them; other apps import from this
package."""

from .activities import (
    Activity,
    ActivityQuerySet,
    ActivityRestriction,
    ActivityStatus,
    MainActivity,
)
from .clients import (
    ORGANISATION_CATEGORIES,
    Client,
    ClientCategory,
    ClientContact,
    ClientQuerySet,
    ClientStatus,
    FeeStatus,
    RegistrationFee,
    postcode_validator,
)
from .matching import (
    WorkerExclusion,
)
from .placements import (
    Assignment,
    AssignmentQuerySet,
    AssignmentSchedule,
    AssignmentStatus,
)
from .prestaties import (
    COUNTED_STATUSES,
    MAX_ROUND_TRIP_KM,
    Prestatie,
    PrestatieStatus,
)
from .registrations import (
    ClientRegistration,
    RegistrationStatus,
)
from .requests import (
    OPEN_REQUEST_STATUSES,
    WEEKDAYS,
    HelpRequest,
    RequestStatus,
    ScheduleKind,
)

__all__ = [
    "ClientRegistration",
    "RegistrationStatus",
    "Activity",
    "ActivityQuerySet",
    "ActivityRestriction",
    "ActivityStatus",
    "Assignment",
    "AssignmentQuerySet",
    "AssignmentSchedule",
    "AssignmentStatus",
    "COUNTED_STATUSES",
    "Client",
    "ClientCategory",
    "ClientContact",
    "ClientQuerySet",
    "ClientStatus",
    "FeeStatus",
    "HelpRequest",
    "MAX_ROUND_TRIP_KM",
    "MainActivity",
    "OPEN_REQUEST_STATUSES",
    "ORGANISATION_CATEGORIES",
    "Prestatie",
    "PrestatieStatus",
    "RegistrationFee",
    "RequestStatus",
    "ScheduleKind",
    "WEEKDAYS",
    "WorkerExclusion",
    "postcode_validator",
]
