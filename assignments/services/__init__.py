"""Every write on the demand side goes through these functions (`<entity>_<verb>(*, ..., actor)`)."""

from .activities import (
    activity_create,
    activity_end,
    activity_list_seed,
    activity_restrict,
    activity_restriction_end,
    activity_update,
)
from .clients import (
    client_activate,
    client_contact_add,
    client_register,
    client_sign_agreement,
    client_stop,
    client_update,
    municipality_for_postcode,
    normalise_national_number,
    registration_fee_ensure,
    registration_fee_mark_paid,
    registration_fees_open_year,
)
from .requests import help_request_cancel, help_request_change_status, help_request_create

__all__ = [
    "activity_create",
    "activity_end",
    "activity_list_seed",
    "activity_restrict",
    "activity_restriction_end",
    "activity_update",
    "client_activate",
    "client_contact_add",
    "client_register",
    "client_sign_agreement",
    "client_stop",
    "client_update",
    "help_request_cancel",
    "help_request_change_status",
    "help_request_create",
    "municipality_for_postcode",
    "normalise_national_number",
    "registration_fee_ensure",
    "registration_fee_mark_paid",
    "registration_fees_open_year",
]
