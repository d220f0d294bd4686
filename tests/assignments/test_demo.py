import io

import pytest

from assignments import demo
from assignments.models import (
    Client,
    ClientCategory,
    ClientContact,
    ClientRegistration,
    HelpRequest,
    RegistrationStatus,
    RequestStatus,
)
from wijkwerken.core.management.commands.seed_demo import seed_accounts, seed_organiser

pytestmark = pytest.mark.django_db


def test_demo_seed_is_complete_and_idempotent():
    organiser = seed_organiser()
    seed_accounts(organiser)
    demo.seed(organiser, io.StringIO())
    clients = Client.objects.filter(organiser=organiser)
    assert 35 <= clients.count() <= 45
    assert set(clients.values_list("category", flat=True)) == set(ClientCategory.values)
    assert set(clients.values_list("municipality__nis_code", flat=True)) == {"24062", "24038", "24009"}
    assert set(HelpRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert ClientContact.objects.get(user__email=demo.DEMO_CLIENT_EMAIL).client.municipality.name == "Herent"
    school_contact = ClientContact.objects.get(user__email="contact1@demo.wijkwerken.be")
    assert school_contact.client.category != ClientCategory.PARTICULIER and school_contact.user.has_usable_password()
    held = ClientRegistration.objects.get(email=demo.HELD_REGISTRATION_EMAIL)
    assert held.status == RegistrationStatus.REVIEW and held.existing_client.organiser == organiser
    counts = (clients.count(), HelpRequest.objects.count(), ClientRegistration.objects.count())
    demo.seed(organiser, io.StringIO())
    assert (clients.count(), HelpRequest.objects.count(), ClientRegistration.objects.count()) == counts
