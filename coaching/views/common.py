"""What every coaching screen shares: who may open a worker's coaching file, and how a form meets a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect

from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import role_required
from wijkwerken.core.errors import attach_errors

from ..selectors.access import Relation, file_worker

# The coaching file is for work coaches (and a beheerder with a grant, for the notes); everyone else gets a 403.
file_roles_required = role_required(Role.WERKCOACH, Role.BEHEERDER)


def open_file(user, pk, *, notes: bool = False, write: bool = False):
    """The worker and the user's relation to them. Not theirs: 404. A beheerder's grant opens the notes only.
    A former coach reads but does not write (403)."""
    worker, relation = file_worker(user, pk)
    if relation is None or (relation == Relation.GRANTED and not notes):
        raise Http404
    if write and relation != Relation.CURRENT:
        raise PermissionDenied
    return worker, relation


def run_service(request, form, call, success, *, redirect_to):
    """Call one service with the form's data; on success a message and a redirect, else the errors on the form."""
    try:
        call()
    except ValidationError as error:
        attach_errors(form, error)
        return None
    messages.success(request, success)
    return redirect(*redirect_to) if isinstance(redirect_to, tuple) else redirect(redirect_to)
