"""Service errors and how views show them: one pair of helpers for every app."""

from django.core.exceptions import ValidationError


def service_error(message, code: str, field: str | None = None) -> ValidationError:
    """A ValidationError with a code, attached to `field` when given (so forms show it next to the field)."""
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def attach_errors(form, error: ValidationError) -> None:
    """Put a service error on the form fields it names (unknown fields go to the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
