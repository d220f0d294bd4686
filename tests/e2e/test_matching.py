"""A bemiddelaar opens a demo request, reads the ranked candidates with their reasons, assigns one, and sees the
request "toegewezen"."""

import io

import pytest
from playwright.sync_api import expect

from assignments import demo as assignments_demo
from assignments.models import Assignment, HelpRequest, RequestStatus, ScheduleKind
from tests.e2e.conftest import assert_accessible, login, screenshot
from wijkwerken.accounts.models import User
from wijkwerken.core.management.commands.seed_demo import DEMO_PASSWORD, seed_accounts, seed_organiser
from workers import demo as workers_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bemiddelaar_assigns_a_ranked_candidate_to_a_demo_request(page, phone_page, live_server):
    organiser = seed_organiser()
    seed_accounts(organiser)
    workers_demo.seed(organiser, io.StringIO())
    assignments_demo.seed(organiser, io.StringIO())
    help_request = (HelpRequest.objects.filter(status=RequestStatus.NEW, schedule=ScheduleKind.ONCE)
                    .exclude(assignments__isnull=False).order_by("pk").first())
    bemiddelaar = User.objects.get(email="bemiddelaar@demo.wijkwerken.be")
    url = f"{live_server.url}/aanvragen/{help_request.pk}/"

    login(page, live_server, bemiddelaar, password=DEMO_PASSWORD)
    page.goto(f"{live_server.url}/aanvragen/")
    assert page.locator(f"a[href='/aanvragen/{help_request.pk}/']").count() >= 1
    page.goto(url)
    candidates = page.locator("#candidates .candidate")
    candidates.first.wait_for()
    assert candidates.count() >= 3
    first = candidates.first
    assert first.locator(".chip").count() >= 4
    assert first.locator(".chip").filter(has_text="Traject tot").count() == 1
    page.get_by_text("Waarom deze volgorde?").click()
    expect(page.get_by_text("Wijk-werkers die al voor deze gebruiker werkten")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "matching-candidates-desktop")

    # A filter narrows the list without leaving the page (htmx).
    before = candidates.count()
    page.get_by_label("alleen binnen hun verplaatsingsafstand").check()
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("alleen binnen hun verplaatsingsafstand").is_checked()
    assert candidates.count() <= before and page.url == url
    # The list comes back whole before a candidate is chosen: a click on a row that htmx is about to swap out
    # never navigates (a slow machine showed it).
    with page.expect_response(lambda response: "/kandidaten/" in response.url):
        page.get_by_label("alleen binnen hun verplaatsingsafstand").uncheck()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")

    name = candidates.first.locator("h3 a").inner_text()
    candidates.first.get_by_role("link", name="Toewijzen").click()
    assert page.get_by_label("Eerste dag").input_value() == help_request.start_date.isoformat()
    page.get_by_role("button", name="Toewijzen").click()
    page.wait_for_load_state("networkidle")
    assert page.url == url
    expect(page.locator(".alert-success").filter(has_text=name)).to_be_visible()
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.ASSIGNED
    assert str(Assignment.objects.get(request=help_request).worker) == name
    expect(page.locator(".badge").filter(has_text="toegewezen").first).to_be_visible()
    page.locator("#candidates .candidate").first.wait_for()
    expect(page.get_by_text("Al toegewezen:")).to_be_visible()

    login(phone_page, live_server, bemiddelaar, password=DEMO_PASSWORD)
    phone_page.goto(url)
    phone_page.locator("#candidates .candidate").first.wait_for()
    assert_accessible(phone_page)
    screenshot(phone_page, "matching-candidates-phone")
