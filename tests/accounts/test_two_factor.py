"""Two-step login (django-otp): staff must set up an authenticator app and give its code after their password;
clients and workers may turn it on. The requirement is a setting, off in the test settings: these tests switch
it on."""

import io
import time

import pytest
from django.core.management.base import OutputWrapper
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import PASSWORD
from wijkwerken.accounts import demo as accounts_demo
from wijkwerken.accounts.middleware import OPEN_URL_NAMES
from wijkwerken.accounts.models import Role
from wijkwerken.accounts.services import two_factor_device_start, two_factor_enable
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/account/aanmelden/"
SETUP = "/account/tweestapsverificatie/instellen/"
VERIFY = "/account/tweestapsverificatie/code/"


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True


def code_for(device, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or `steps_ahead` periods of 30 seconds later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    device = two_factor_device_start(user=user)
    two_factor_enable(user=user, code=code_for(device), actor=user)
    device.refresh_from_db()
    return device


def password_login(client, user):
    return client.post(LOGIN, {"username": user.email, "password": PASSWORD})


def actions(user) -> list[str]:
    return list(AuditEntry.objects.for_object(user).order_by("id").values_list("action", flat=True))


# --- every page waits for the second step ----------------------------------------------------------------------

def _every_url():
    """One URL for every named pattern of the URLconf, with placeholder arguments (the Django admin, whose
    patterns are regular expressions, is checked on its own below)."""
    samples = {"int": 1, "str": "x", "slug": "x", "path": "x"}

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                converters = pattern.pattern.converters
                kwargs = {name: samples.get(type(converter).__name__.replace("Converter", "").lower(), "x")
                          for name, converter in converters.items()}
                yield f"{namespace}{pattern.name}", reverse(f"{namespace}{pattern.name}", kwargs=kwargs)

    return list(walk(get_resolver()))


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.BEMIDDELAAR, Role.WERKCOACH])
def test_staff_without_an_app_reach_no_page_but_the_setup(client, make_user, role, two_factor_on):
    client.force_login(make_user(role))
    urls = _every_url()
    assert len(urls) > 80
    for name, url in urls:
        if name in OPEN_URL_NAMES:
            continue
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(SETUP), (name, url)
        response = client.post(url)
        assert response.status_code == 302 and response["Location"] == SETUP, (name, url)
    htmx = client.get(reverse("assignments:panel_queue"), headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == SETUP


def test_staff_with_an_app_reach_no_page_before_the_code(client, bemiddelaar, two_factor_on):
    enrolled(bemiddelaar)
    client.force_login(bemiddelaar)
    for url in ("/", "/gebruikers/", "/wijkwerkers/", SETUP, "/account/tweestapsverificatie/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url


def test_developers_need_it_too(client, make_user, two_factor_on):
    developer = make_user("", organiser=None, is_staff=True, is_superuser=True)
    client.force_login(developer)
    assert client.get("/ontwikkelaars/admin/")["Location"].startswith(SETUP)


def test_off_in_the_test_settings(client, bemiddelaar):
    client.force_login(bemiddelaar)
    assert client.get("/").status_code == 200


# --- enrolment and logging in --------------------------------------------------------------------------------------

def test_enrol_at_first_login_then_code_after_password(client, bemiddelaar, two_factor_on):
    response = password_login(client, bemiddelaar)
    assert client.get(response["Location"])["Location"].startswith(SETUP)
    page = client.get(SETUP)
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=bemiddelaar, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url

    wrong = client.post(SETUP, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors.as_data()["code"][0].code == "wrong_code"
    response = client.post(SETUP, {"code": code_for(device), "next": "/gebruikers/"})
    assert response.status_code == 302 and response["Location"].startswith("/account/tweestapsverificatie/herstel")
    codes_page = client.get(response["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10 and all(code.encode() in codes_page.content for code in codes)
    assert b'href="/gebruikers/"' in codes_page.content
    assert client.get("/account/tweestapsverificatie/herstelcodes/").status_code == 302  # shown once
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    client.post("/account/afmelden/")
    password_login(client, bemiddelaar)
    assert client.get("/")["Location"].startswith(VERIFY)
    wrong = client.post(VERIFY, {"code": "12345"})
    assert wrong.context["form"].errors.as_data()["code"][0].code == "wrong_code"
    assert client.get("/")["Location"].startswith(VERIFY)
    time.sleep(device.get_throttle_factor() * 1.1)  # django-otp waits a second after one wrong code
    response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "/wijkwerkers/"})
    assert response.status_code == 302 and response["Location"] == "/wijkwerkers/"
    assert client.get("/wijkwerkers/").status_code == 200
    assert actions(bemiddelaar) == ["account.login", "account.two_factor_enable",
                                    "account.login", "account.two_factor_failed", "account.two_factor_login"]


def test_a_code_is_not_accepted_twice(client, bemiddelaar, two_factor_on):
    device = enrolled(bemiddelaar)  # used the code of this period
    password_login(client, bemiddelaar)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200 and client.get("/")["Location"].startswith(VERIFY)


def test_a_recovery_code_works_once(client, bemiddelaar, two_factor_on):
    enrolled(bemiddelaar)
    recovery = StaticToken.objects.filter(device__user=bemiddelaar).first().token
    password_login(client, bemiddelaar)
    response = client.post(VERIFY, {"code": f" {recovery.upper()[:4]} {recovery.upper()[4:]} "})
    assert response.status_code == 302 and client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=bemiddelaar).count() == 9
    entry = AuditEntry.objects.for_object(bemiddelaar).filter(action="account.two_factor_login").get()
    assert "9" in entry.summary

    client.post("/account/afmelden/")
    password_login(client, bemiddelaar)
    time.sleep(0.1)
    response = client.post(VERIFY, {"code": recovery})
    assert response.status_code == 200 and client.get("/")["Location"].startswith(VERIFY)


def test_a_password_alone_cannot_set_up_another_app(client, bemiddelaar, two_factor_on):
    enrolled(bemiddelaar)
    password_login(client, bemiddelaar)
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=bemiddelaar).count() == 1


def test_another_phone_replaces_the_app(client, bemiddelaar, two_factor_on):
    old = enrolled(bemiddelaar)
    client.force_login(bemiddelaar)
    session = client.session
    session["otp_device_id"] = old.persistent_id
    session.save()
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=bemiddelaar, confirmed=False)
    assert new.key != old.key
    assert client.post(SETUP, {"code": code_for(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=bemiddelaar).values_list("pk", flat=True)) == [new.pk]


# --- clients and workers choose -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.GEBRUIKER, Role.WIJKWERKER])
def test_clients_and_workers_may_turn_it_on_and_off(client, make_user, leuven, role, two_factor_on):
    person = make_user(role, municipality=leuven)
    client.force_login(person)
    assert client.get("/account/tweestapsverificatie/").status_code == 200
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=person)
    client.post(SETUP, {"code": code_for(device)})
    client.post("/account/afmelden/")

    password_login(client, person)
    assert client.get("/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    assert client.get("/").status_code == 200
    assert client.post("/account/tweestapsverificatie/uitzetten/").status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    client.post("/account/afmelden/")
    password_login(client, person)
    assert client.get("/").status_code == 200
    assert "account.two_factor_disable" in actions(person)


def test_staff_cannot_turn_it_off(client, bemiddelaar, two_factor_on):
    device = enrolled(bemiddelaar)
    client.force_login(bemiddelaar)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    response = client.post("/account/tweestapsverificatie/uitzetten/", follow=True)
    assert TOTPDevice.objects.filter(user=bemiddelaar).exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_new_recovery_codes_replace_the_old_ones(client, bemiddelaar):
    enrolled(bemiddelaar)
    old = set(StaticToken.objects.filter(device__user=bemiddelaar).values_list("token", flat=True))
    client.force_login(bemiddelaar)
    response = client.post("/account/tweestapsverificatie/herstelcodes/nieuw/", follow=True)
    new = set(response.context["codes"])
    assert len(new) == 10 and not new & old
    assert set(StaticToken.objects.filter(device__user=bemiddelaar).values_list("token", flat=True)) == new


def test_the_beheerder_resets_a_staff_member_who_lost_the_phone(client, beheerder, werkcoach, two_factor_on):
    enrolled(werkcoach)
    device = enrolled(beheerder)
    client.force_login(beheerder)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    page = client.get(f"/account/personeel/{werkcoach.pk}/")
    assert b"tweestapsverificatie" in page.content.lower()
    response = client.post(f"/account/personeel/{werkcoach.pk}/tweestapsverificatie/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=werkcoach).exists()
    entry = AuditEntry.objects.for_object(werkcoach).get(action="account.two_factor_reset")
    assert entry.actor == beheerder
    # At the next login the coach sets up an app again.
    client.post("/account/afmelden/")
    password_login(client, werkcoach)
    assert client.get("/")["Location"].startswith(SETUP)


# --- the demo -------------------------------------------------------------------------------------------------------

def test_demo_staff_log_in_with_the_documented_secret(client, organiser, make_user, two_factor_on):
    from base64 import b32decode

    bemiddelaar = make_user(Role.BEMIDDELAAR, email="bemiddelaar@demo.wijkwerken.be")
    client_user = make_user(Role.GEBRUIKER, email="gebruiker@demo.wijkwerken.be")
    out = io.StringIO()
    accounts_demo.seed(organiser, OutputWrapper(out))
    accounts_demo.seed(organiser, OutputWrapper(out))  # safe to run twice
    readme = (accounts_demo.__file__.rsplit("/wijkwerken/", 1)[0] + "/README.md")
    with open(readme, encoding="utf-8") as file:
        assert accounts_demo.DEMO_TOTP_SECRET in file.read()
    device = TOTPDevice.objects.get(user=bemiddelaar)
    assert device.bin_key == b32decode(accounts_demo.DEMO_TOTP_SECRET)
    assert not TOTPDevice.objects.filter(user=client_user).exists()
    printed = [line for line in out.getvalue().splitlines() if "bemiddelaar@demo" in line][-1].split()[1:]
    assert set(printed) == set(StaticToken.objects.filter(device__user=bemiddelaar).values_list("token", flat=True))
    password_login(client, bemiddelaar)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/").status_code == 200
