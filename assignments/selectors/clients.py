"""Reads on clients, always starting from what the user may see."""

from django.db.models import QuerySet

from wijkwerken.accounts.models import Role
from wijkwerken.core.selectors import scope_to_user

from ..models.clients import Client, ClientContact, RegistrationFee


def client_of_user(user) -> Client | None:
    """The client a gebruiker logs in for (None for anyone else)."""
    if not (user.is_authenticated and user.is_active and user.role == Role.GEBRUIKER):
        return None
    return Client.objects.select_related("municipality", "organiser").filter(contacts__user=user).first()


def clients_for(user) -> QuerySet:
    """Staff: the organiser's clients; gemeente: its municipality's; a gebruiker: only its own client."""
    if user.is_authenticated and user.role == Role.GEBRUIKER:
        return Client.objects.filter(contacts__user=user, organiser_id=user.organiser_id)
    return scope_to_user(Client.objects.all(), user, municipality_field="municipality").select_related(
        "municipality"
    )


def fee_for_year(client: Client, year: int) -> RegistrationFee | None:
    return next((fee for fee in client.fees.all() if fee.year == year), None)


def contact_users_by_client(client_ids) -> dict[int, list]:
    """The logins of each client's contact persons, for notifications to many clients at once (one query)."""
    users = {}
    for contact in ClientContact.objects.filter(client_id__in=list(client_ids)).select_related("user"):
        users.setdefault(contact.client_id, []).append(contact.user)
    return users


def on_behalf_of(client: Client, actor):
    """The client's login when a staff member acts for the client, for the audit log ("ingevoerd door X voor Y");
    None when the client acts themself or nobody does (a daily job)."""
    if actor is None or getattr(actor, "role", None) == Role.GEBRUIKER:
        return None
    contact = client.contacts.select_related("user").order_by("-is_primary", "pk").first()
    return contact.user if contact else None
