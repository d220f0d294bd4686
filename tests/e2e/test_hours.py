"""The whole chain in the browser: request → candidates → assign → the worker registers hours on a phone →
staff validate → the client confirms."""

import datetime

import pytest
from playwright.sync_api import expect

from assignments.models import Assignment, Prestatie, PrestatieStatus, RequestStatus, ScheduleKind
from tests.assignments.factories import HelpRequestFactory, activity, client_with_login, seed_activity_list
from tests.assignments.fixtures import make_worker
from tests.e2e.conftest import assert_accessible, login, new_page, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_request_to_confirmed_hours(page, phone_page, live_server, organiser, leuven, bemiddelaar):
    today = datetime.date.today()
    seed_activity_list(organiser)
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=today - datetime.timedelta(days=30),
                         first_name="Wout", last_name="Werker")
    client, client_user = client_with_login(leuven)
    help_request = HelpRequestFactory(
        client=client, activity=activity(organiser, "Gras maaien"), schedule=ScheduleKind.ONCE, start_date=today,
        end_date=today, time_from=datetime.time(9), time_until=datetime.time(11, 30),
    )

    # 1. The bemiddelaar opens the request, sees Wout among the candidates and assigns him.
    login(page, live_server, bemiddelaar)
    page.goto(f"{live_server.url}/aanvragen/{help_request.pk}/")
    candidate = page.locator("#candidates .candidate").filter(has_text="Wout Werker")
    candidate.wait_for()
    candidate.get_by_role("link", name="Toewijzen").click()
    page.get_by_role("button", name="Toewijzen").click()
    page.wait_for_load_state("networkidle")
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.ASSIGNED
    assignment = Assignment.objects.get(request=help_request, worker=worker)

    # 2. Wout registers his hours on his phone: my week → register → save.
    login(phone_page, live_server, worker.user)
    phone_page.goto(f"{live_server.url}/mijn/week/")
    phone_page.get_by_role("link", name="Uren registreren").first.click()
    assert phone_page.get_by_label("Beginuur").input_value() == "09:00"
    phone_page.get_by_label("Einduur").fill("11:40")
    assert_accessible(phone_page)
    screenshot(phone_page, "hours-register-phone")
    phone_page.get_by_role("button", name="Uren bewaren").click()
    expect(phone_page.locator("body")).to_contain_text("Geregistreerd")
    prestatie = Prestatie.objects.get(assignment=assignment)
    assert (prestatie.minutes, prestatie.cheques) == (160, 3)
    assert_accessible(phone_page)
    screenshot(phone_page, "my-week-phone")

    # 3. Staff validate it from the queue, with the bulk button.
    page.goto(f"{live_server.url}/prestaties/")
    page.locator(f"input[name=prestatie][value='{prestatie.pk}']").check()
    page.get_by_role("button", name="Geselecteerde prestaties valideren").click()
    expect(page.locator("body")).to_contain_text("1 prestatie gevalideerd.")  # singular (was "1 prestaties")

    # 4. The client confirms with one click.
    client_page = new_page(page.context.browser)
    login(client_page, live_server, client_user)
    client_page.goto(f"{live_server.url}/mijn/prestaties/")
    expect(client_page.locator("body")).to_contain_text("09:00–11:40")
    assert_accessible(client_page)
    screenshot(client_page, "client-hours-to-confirm")
    client_page.get_by_role("button", name="Bevestigen").click()
    expect(client_page.locator("body")).to_contain_text("de uren van")
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.CONFIRMED
    client_page.context.close()


def test_confirmation_link_cannot_be_used_twice(page, live_server, organiser, leuven, bemiddelaar):
    from assignments.services import confirmation_token, prestatie_register, prestatie_validate
    from tests.assignments.fixtures import make_assignment

    today = datetime.date.today()
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=today - datetime.timedelta(days=30))
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=today - datetime.timedelta(days=7),
                                 end=today + datetime.timedelta(days=7), weekdays=range(7))
    prestatie = prestatie_validate(
        prestatie=prestatie_register(assignment=assignment, date=today, start_time=datetime.time(9),
                                     end_time=datetime.time(10), actor=bemiddelaar), actor=bemiddelaar)
    link = f"{live_server.url}/prestaties/bevestig/{confirmation_token(prestatie)}/"
    page.goto(link)
    page.get_by_role("button", name="Ja, deze uren kloppen").click()
    expect(page.locator("body")).to_contain_text("Dank u: de uren zijn bevestigd.")
    page.goto(link)
    expect(page.locator("body")).to_contain_text("Deze link werd al gebruikt")
    assert_accessible(page)
    screenshot(page, "confirm-link-used")
