"""Helpers the cheques services share."""

from assignments.selectors import on_behalf_of  # noqa: F401 (the one copy; the cheques services import it here)
