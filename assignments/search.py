"""The search-as-you-type source for clients (see wijkwerken.core.search): by name or client number."""

from django.utils.translation import gettext_lazy as _

from wijkwerken.core.search import SearchSource, register
from wijkwerken.core.selectors import scope_to_user

from .models import Client


def client_label(client) -> str:
    return f"{client.name} ({client.number}) · {client.city}"


def _clients_of_staff(user):
    # Not clients_for(): municipal staff see no client's name.
    return scope_to_user(Client.objects.all(), user)


CLIENTS = register(SearchSource(
    name="clients", choices=_clients_of_staff, fields=("name",), number_field="number",
    order_by=("name", "number"), label=client_label, nothing_found=_("No client matches “%(query)s”."),
))
