"""The wijk-werker's job page: where, whom to call, what to bring, when, and the hours so far."""

import datetime

import pytest
import time_machine

from assignments.services import assignment_instructions_update, prestatie_register
from tests.assignments.fixtures import at, make_assignment, make_worker
from wijkwerken.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def work(organiser, leuven, bemiddelaar):
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2), end=D(2026, 4, 30),
                                     weekdays=(0, 2))
    contact = assignment.client.contacts.get()
    contact.user.phone = "0470 12 34 56"
    contact.user.save(update_fields=["phone"])
    return worker, assignment, contact.user


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_job_page_shows_address_contact_instructions_schedule_and_hours(client, work):
    worker, assignment, client_user = work
    assignment_instructions_update(assignment=assignment, instructions="Sleutel onder de mat", actor=client_user)
    prestatie_register(assignment=assignment, date=D(2026, 3, 9), start_time=datetime.time(9),
                       end_time=datetime.time(11, 30), actor=worker.user)
    client.force_login(worker.user)
    page = client.get(f"/mijn/opdrachten/{assignment.pk}/").content.decode()
    street = assignment.request.street
    assert street in page
    assert 'href="geo:0,0?q=' in page and "https://www.openstreetmap.org/search?query=" in page
    assert 'href="tel:0470123456"' in page and client_user.get_full_name() in page
    assert "Sleutel onder de mat" in page
    assert "09:00–12:00" in page
    assert "2 u 30" in page  # the hours registered so far
    assert f"/opdrachten/{assignment.pk}/uren/" in page and f"/opdrachten/{assignment.pk}/incident/" in page
    # The week links to it.
    assert f"/mijn/opdrachten/{assignment.pk}/" in client.get("/mijn/week/?week=2026-03-09").content.decode()


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_instructions_by_client_are_audited_and_the_worker_is_told(client, work):
    worker, assignment, client_user = work
    client.force_login(client_user)
    url = f"/opdrachten/{assignment.pk}/instructies/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"instructions": "Hond in de tuin"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.instructions == "Hond in de tuin"
    assert AuditEntry.objects.filter(action="assignment.instructions", object_id=str(assignment.pk)).exists()
    assert Notification.objects.filter(recipient=worker.user).exists()
    # Too long: a Dutch error, nothing saved.
    response = client.post(url, {"instructions": "x" * 2001})
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.instructions == "Hond in de tuin"


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_the_worker_cannot_change_the_instructions(client, work):
    worker, assignment, _client_user = work
    client.force_login(worker.user)
    assert client.get(f"/opdrachten/{assignment.pk}/instructies/").status_code == 403
