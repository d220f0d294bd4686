"""View decorators per role. Not logged in: to the login page. Wrong role: 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .models import ORGANISER_STAFF_ROLES, Role


def role_required(*roles):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles) or not request.user.organiser_id:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


beheerder_required = role_required(Role.BEHEERDER)
bemiddelaar_required = role_required(Role.BEMIDDELAAR, Role.BEHEERDER)
werkcoach_required = role_required(Role.WERKCOACH)
gemeente_required = role_required(Role.GEMEENTE)
gebruiker_required = role_required(Role.GEBRUIKER)
wijkwerker_required = role_required(Role.WIJKWERKER)
staff_required = role_required(*ORGANISER_STAFF_ROLES)


def sees_personal_data(user) -> bool:
    """Whether pages may show this user the personal data of wijk-werkers and private clients (names, national
    numbers, contact details, addresses, special needs, notes, histories). Municipal staff may not: their task
    (reports, their municipality's activity list, the demand in their municipality) needs numbers, not persons.
    Every other role reaches only the people its selectors scope it to."""
    return bool(getattr(user, "is_authenticated", False)) and user.role != Role.GEMEENTE
