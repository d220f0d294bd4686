"""The assignments app's models, one module per subdomain: clients, registrations, activities, requests,
placements, prestaties, incidents and matching. Importing them here lets Django find them; other apps import from this
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
from .incidents import (
    INCIDENT_DECLARATION_WORKING_DAYS,
    Incident,
    IncidentKind,
    IncidentQuerySet,
    NoShow,
    NoShowKind,
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
    LONG_DAY_MINUTES,
    MAX_ROUND_TRIP_KM,
    PLANNED_TIMES_TOLERANCE_MINUTES,
    HoursMonth,
    HoursWarning,
    Prestatie,
    PrestatieStatus,
    WorkerMonth,
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
    "INCIDENT_DECLARATION_WORKING_DAYS",
    "Incident",
    "IncidentKind",
    "IncidentQuerySet",
    "NoShow",
    "NoShowKind",
    "HoursMonth",
    "HoursWarning",
    "LONG_DAY_MINUTES",
    "PLANNED_TIMES_TOLERANCE_MINUTES",
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
    "WorkerMonth",
    "WorkerExclusion",
    "postcode_validator",
]
