"""A bemiddelaar excludes a wijk-werker for a client and hands an assignment over with the keyboard only: type a
few letters, Tab to the matches, choose with the arrow keys or Space, send. No drop-down of the whole pool."""

import io

import pytest
from playwright.sync_api import expect

from assignments import demo as assignments_demo
from assignments.models import Assignment, AssignmentStatus, Client, WorkerExclusion
from tests.e2e.conftest import PHONE, assert_accessible, login, new_page, screenshot, wait_for_requests
from wijkwerken.accounts.models import User
from wijkwerken.core.management.commands.seed_demo import DEMO_PASSWORD, seed_accounts, seed_organiser
from workers import demo as workers_demo
from workers.models import Worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def type_and_wait(page, field, text):
    field.press_sequentially(text, delay=40)
    page.wait_for_timeout(400)  # the field's own delay before it asks
    wait_for_requests(page)


def test_keyboard_only_search_select(page, browser, live_server):
    organiser = seed_organiser()
    seed_accounts(organiser)
    workers_demo.seed(organiser, io.StringIO())
    assignments_demo.seed(organiser, io.StringIO())
    bemiddelaar = User.objects.get(email="bemiddelaar@demo.wijkwerken.be")
    client = Client.objects.filter(organiser=organiser).order_by("pk").first()
    target = Worker.objects.filter(organiser=organiser).exclude(exclusions__client=client).order_by(
        "last_name").first()

    login(page, live_server, bemiddelaar, password=DEMO_PASSWORD)
    page.goto(f"{live_server.url}/gebruikers/{client.pk}/uitsluitingen/")
    assert page.locator("select[name=worker]").count() == 0
    field = page.get_by_role("searchbox", name="Wijk-werker")
    field.focus()
    type_and_wait(page, field, target.last_name[:3])
    options = page.get_by_role("radio")
    assert 1 <= options.count() <= 10
    status = page.get_by_role("status")
    assert "resulta" in status.inner_text()
    type_and_wait(page, field, target.last_name[3:] + " " + target.first_name)
    assert page.get_by_role("radio").count() == 1
    assert_accessible(page)
    screenshot(page, "search-select-exclusion-desktop")
    page.keyboard.press("Tab")  # to the match
    page.keyboard.press("Space")
    assert page.get_by_role("radio").first.is_checked()
    page.keyboard.press("Tab")  # to "Why"
    assert page.evaluate("() => document.activeElement.name") == "reason"
    page.keyboard.type("Op vraag van de gebruiker")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert WorkerExclusion.objects.filter(client=client, worker=target).exists()
    expect(page.locator(".alert-success")).to_be_visible()

    # The hand-over on an assignment page: the same field, among workers in an active trajectory.
    assignment = Assignment.objects.filter(organiser=organiser, status=AssignmentStatus.ACTIVE).order_by("pk").first()
    page.goto(f"{live_server.url}/opdrachten/{assignment.pk}/")
    field = page.get_by_role("searchbox", name="Nieuwe wijk-werker")
    field.focus()
    type_and_wait(page, field, "e")
    assert page.get_by_role("radio").count() == 0  # one letter is too few
    type_and_wait(page, field, "e")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    assert page.get_by_role("radio").nth(1).is_checked() or page.get_by_role("radio").count() == 1
    assert_accessible(page)
    screenshot(page, "search-select-hand-over-desktop")

    phone = new_page(browser, PHONE)
    try:
        login(phone, live_server, bemiddelaar, password=DEMO_PASSWORD)
        phone.goto(f"{live_server.url}/gebruikers/{client.pk}/uitsluitingen/")
        field = phone.get_by_role("searchbox", name="Wijk-werker")
        field.focus()
        type_and_wait(phone, field, target.last_name[:3])
        assert_accessible(phone)
        screenshot(phone, "search-select-exclusion-phone")
    finally:
        phone.context.close()
