"""Login throttling as it works behind the proxy the README requires: the client's address comes from the
proxy's header only when the proxy is trusted, an address is locked after spraying over many accounts, one
person's wrong passwords lock nobody else, and the password-reset link gets a locked-out person in."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory

from tests.accounts.factories import PASSWORD, UserFactory
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import AuditEntry
from wijkwerken.core.throttle import client_address

pytestmark = pytest.mark.django_db

LOGIN = "/account/aanmelden/"
PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


def via_proxy(client_ip: str) -> dict:
    """The headers of a request that reached us through the proxy, from `client_ip`."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_ip}


def post_login(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- the client's address ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    ("203.0.113.9", "", "203.0.113.9"),                      # no proxy
    ("203.0.113.9", "198.51.100.7", "203.0.113.9"),          # not our proxy: its header is not believed
    (PROXY, "198.51.100.7", "198.51.100.7"),                 # our proxy
    (PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),        # a spoofed left-most entry is ignored
    (PROXY, "198.51.100.7, 10.0.0.5", "198.51.100.7"),       # two proxies of ours
    (PROXY, "not-an-address", PROXY),                        # garbage: the proxy is all we know
    (PROXY, "2001:db8::1", "2001:db8::1"),
])
def test_client_address_believes_only_trusted_proxies(behind_proxy, remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == PROXY


# --- locks ---------------------------------------------------------------------------------------------------------

def test_spraying_one_password_over_many_accounts_locks_the_address(client, organiser, behind_proxy):
    """120 failures over 30 accounts from one address end in a lock (today: never locked)."""
    accounts = [UserFactory(organiser=organiser, role=Role.GEBRUIKER) for _index in range(30)]
    statuses = []
    for _round in range(4):
        for account in accounts:
            statuses.append(post_login(client, account.email, "Zomer2026!", **via_proxy("198.51.100.66")).status_code)
    assert 429 in statuses
    assert statuses.index(429) < 35
    # Even the right password of a fresh account does not get in from that address now ...
    victim = UserFactory(organiser=organiser)
    response = post_login(client, victim.email, PASSWORD, **via_proxy("198.51.100.66"))
    assert response.status_code == 429 and not logged_in(client)
    assert "internetverbinding" in response.content.decode()
    # ... while the same person from their own address logs in.
    post_login(client, victim.email, PASSWORD, **via_proxy("192.0.2.10"))
    assert logged_in(client)
    lock = AuditEntry.objects.filter(action="account.lockout")
    assert lock.count() == 1 and lock.get().changes["address"] == "198.51.100.66"


def test_wrong_passwords_through_the_proxy_do_not_lock_everyone_behind_it(client, organiser, bemiddelaar,
                                                                          behind_proxy, settings):
    """Five wrong passwords for one account through the proxy lock that account from that address only."""
    for _index in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, bemiddelaar.email, "wrong", **via_proxy("198.51.100.66"))
    response = post_login(client, bemiddelaar.email, PASSWORD, **via_proxy("198.51.100.66"))
    assert response.status_code == 429 and not logged_in(client)
    assert "dit e-mailadres" in response.content.decode()
    # The real person, elsewhere, behind the same proxy, still logs in ...
    post_login(client, bemiddelaar.email, PASSWORD, **via_proxy("192.0.2.10"))
    assert logged_in(client)
    client.logout()
    # ... and so does a colleague from the attacker's own address.
    colleague = UserFactory(organiser=organiser)
    post_login(client, colleague.email, PASSWORD, **via_proxy("198.51.100.66"))
    assert logged_in(client)


def test_changing_the_case_of_the_email_is_the_same_account(client, bemiddelaar, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        email = bemiddelaar.email.upper() if index % 2 else f" {bemiddelaar.email} "
        post_login(client, email, "wrong")
    assert post_login(client, bemiddelaar.email, PASSWORD).status_code == 429


def test_logging_in_to_ones_own_account_does_not_reset_the_address_count(client, organiser, settings):
    """A sprayer who also owns an account cannot wipe the address's failures by logging in to it."""
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    own = UserFactory(organiser=organiser)
    targets = [UserFactory(organiser=organiser) for _index in range(6)]
    for target in targets[:5]:
        post_login(client, target.email, "Zomer2026!")
    post_login(client, own.email, PASSWORD)
    assert logged_in(client)
    client.logout()
    response = post_login(client, targets[5].email, "Zomer2026!")
    assert response.status_code == 429


def test_the_reset_link_gets_a_locked_out_person_in_and_lifts_the_lock(client, bemiddelaar, settings):
    for _index in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, bemiddelaar.email, "wrong")
    assert post_login(client, bemiddelaar.email, PASSWORD).status_code == 429

    client.post("/account/wachtwoord/vergeten/", {"email": bemiddelaar.email})
    link = re.search(r"https?://\S+(/account/wachtwoord/nieuw/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "Herfst-in-Herent-2026",
                                       "new_password2": "Herfst-in-Herent-2026"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in(client)
    assert AuditEntry.objects.for_object(bemiddelaar).filter(action="account.password_reset").exists()
    # The lock on the account is gone: the new password works at the login page straight away.
    client.logout()
    post_login(client, bemiddelaar.email, "Herfst-in-Herent-2026")
    assert logged_in(client)


def test_logins_failures_and_lockouts_are_audited(client, bemiddelaar, settings):
    post_login(client, bemiddelaar.email, PASSWORD, REMOTE_ADDR="192.0.2.10")
    client.logout()
    post_login(client, "nobody@example.test", "whatever", REMOTE_ADDR="192.0.2.11")
    for _index in range(settings.AXES_FAILURE_LIMIT + 2):
        post_login(client, bemiddelaar.email, "wrong", REMOTE_ADDR="192.0.2.12")
    entries = AuditEntry.objects.filter(action__startswith="account.").order_by("id")
    own = entries.filter(object_id=str(bemiddelaar.pk))
    login = own.get(action="account.login")
    assert login.actor == bemiddelaar and login.changes == {"address": "192.0.2.10"}
    # Five wrong passwords are checked and written; the two tries during the lock are refused unchecked.
    assert own.filter(action="account.login_failed").count() == settings.AXES_FAILURE_LIMIT
    lockout = own.get(action="account.lockout")
    assert lockout.organiser == bemiddelaar.organiser and lockout.changes == {"address": "192.0.2.12"}
    unknown = entries.get(action="account.login_failed", object_id="")
    assert unknown.changes == {"address": "192.0.2.11"}
    assert "nobody@example.test" not in str(unknown.changes) + unknown.summary + unknown.object_repr
