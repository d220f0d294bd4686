from wijkwerken.accounts.models import Role


def on_behalf_of(client, actor):
    """The client's login when staff act for the client ("ingevoerd door X voor Y")."""
    if actor is None or getattr(actor, "role", None) == Role.GEBRUIKER:
        return None
    contact = client.contacts.select_related("user").order_by("-is_primary", "pk").first()
    return contact.user if contact else None
