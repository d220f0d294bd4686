"""Service errors and how views show them: one pair of helpers for every app."""

from django.core.exceptions import ValidationError


def service_error(message, code: str, field: str | None = None) -> ValidationError:
    """A ValidationError with a code, attached to `field` when given (so forms show it next to the field)."""
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def all_errors(*checks) -> list:
    """Run independent checks and raise everything they find at once, each error at its field, so a person fixes
    a form in one go; returns the checks' results when none fails."""
    found, results = {}, []
    for check in checks:
        try:
            results.append(check())
        except ValidationError as error:
            results.append(None)
            for field, errors in error.update_error_dict({}).items():
                found.setdefault(field, []).extend(errors)
    if found:
        raise ValidationError(found)
    return results


def attach_errors(form, error: ValidationError) -> None:
    """Put a service error on the form fields it names (unknown fields go to the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
