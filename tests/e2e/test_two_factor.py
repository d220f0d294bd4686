"""A bemiddelaar's first login sets up an authenticator app (the code computed from the secret on the page, as an
app would), keeps the recovery codes, and the next login asks for a code after the password; on a phone too."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def authenticator_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for `secret` (base32, as typed into the app)."""
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_a_bemiddelaar_enrols_and_logs_in_with_a_code(page, phone_page, live_server, make_user, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    bemiddelaar = make_user(first_name="Bram")
    login(page, live_server, bemiddelaar)
    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    page.goto(f"{live_server.url}/wijkwerkers/")  # no page is reachable before the second step
    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "two-factor-setup")

    secret = page.locator("#two-factor-secret").inner_text()
    page.get_by_label("Code").fill("000000" if authenticator_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_text("Deze code klopt niet")).to_be_visible()
    page.get_by_label("Code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible()
    assert page.locator(".recovery-codes code").count() == 10
    assert_accessible(page)
    screenshot(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
    # On to the page that was asked for before the second step.
    assert page.url == f"{live_server.url}/wijkwerkers/"
    expect(page.get_by_role("heading", name="Wijk-werkers")).to_be_visible()
    assert_accessible(page)

    # The next login, on a phone: the password, then the code the app shows by then.
    login(phone_page, live_server, bemiddelaar)
    expect(phone_page.get_by_role("heading", name="Tweede stap: uw code")).to_be_visible()
    assert_accessible(phone_page)
    screenshot(phone_page, "two-factor-verify-phone")
    phone_page.get_by_label("Code").fill(authenticator_code(secret, steps_ahead=1))
    phone_page.get_by_role("button", name="Bevestigen").click()
    expect(phone_page.get_by_role("heading", name="Goeiedag, Bram")).to_be_visible()
    assert_accessible(phone_page)
