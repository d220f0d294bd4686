import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.factories import PASSWORD
from wijkwerken.accounts.models import Role

pytestmark = pytest.mark.django_db

LOGIN = "/account/aanmelden/"


def test_login_with_email_lands_on_start_page(client, bemiddelaar):
    response = client.post(LOGIN, {"username": bemiddelaar.email.upper(), "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert response.context["user"] == bemiddelaar


def test_wrong_password_gives_a_dutch_message(client, bemiddelaar):
    response = client.post(LOGIN, {"username": bemiddelaar.email, "password": "wrong"})
    assert response.status_code == 200
    assert "horen niet bij elkaar" in response.content.decode()


def test_repeated_failed_logins_are_throttled(client, bemiddelaar, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": bemiddelaar.email, "password": "wrong"})
    response = client.post(LOGIN, {"username": bemiddelaar.email, "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Te veel mislukte pogingen" in body
    assert "15 minuten geblokkeerd" in body
    assert "_auth_user_id" not in client.session


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_password_reset_mail_is_dutch_and_sent(client, bemiddelaar):
    response = client.post("/account/wachtwoord/vergeten/", {"email": bemiddelaar.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Kies een nieuw wachtwoord voor wijkwerken"
    assert "/account/wachtwoord/nieuw/" in mail.outbox[0].body


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post("/account/wachtwoord/vergeten/", {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change(client, bemiddelaar):
    client.force_login(bemiddelaar)
    response = client.post("/account/wachtwoord/wijzigen/", {
        "old_password": PASSWORD,
        "new_password1": "een-nieuw-wachtwoord-42",
        "new_password2": "een-nieuw-wachtwoord-42",
    })
    assert response.status_code == 302
    bemiddelaar.refresh_from_db()
    assert bemiddelaar.check_password("een-nieuw-wachtwoord-42")


def test_logout_is_a_post(client, bemiddelaar):
    client.force_login(bemiddelaar)
    assert client.post("/account/afmelden/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_a_start_page(client, make_user, leuven, role):
    user = make_user(role, municipality=leuven if role == Role.GEMEENTE else None)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == f"core/start_{role.value}.html"


def test_the_login_page_shows_the_product_name_not_the_host(client, settings):
    settings.SITE_NAME = "Wijk-werken Dijleland"
    body = client.get(LOGIN, HTTP_HOST="testserver").content.decode()
    assert "· Wijk-werken Dijleland</title>" in body  # Django's login view sets its own site_name to the host
    assert "testserver" not in body
