"""The Mollie flow against recorded HTTP responses (the `responses` library at the HTTP boundary; no network)."""

import json
from pathlib import Path

import pytest
import responses

from cheques.models import Cheque, MolliePayment, OrderStatus, Payment
from tests.cheques.factories import order_for
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "recorded"
API = "https://api.mollie.com/v2/payments"


def recorded(name, order):
    text = (RECORDED / f"{name}.json").read_text()
    return json.loads(text.replace("__ORDER__", str(order.pk)).replace("__AMOUNT__", f"{order.outstanding:.2f}"))


@pytest.fixture
def mollie(settings):
    settings.MOLLIE_API_KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
    settings.MOLLIE_WEBHOOK_BASE_URL = "https://wijkwerken.example"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def logged_in(client, client_login):
    client_obj, user = client_login
    client.force_login(user)
    return client_obj


def test_without_a_key_online_payment_is_not_offered(client, logged_in, settings):
    settings.MOLLIE_API_KEY = ""
    order = order_for(logged_in, quantity=2)
    page = client.get(f"/cheques/mijn/bestellingen/{order.pk}/")
    assert page.status_code == 200
    assert b"online-betalen" not in page.content
    response = client.post(f"/cheques/mijn/bestellingen/{order.pk}/online-betalen/")
    assert response.status_code == 302 and not MolliePayment.objects.exists()


def test_full_flow_create_redirect_webhook_twice_and_return(client, logged_in, mollie,
                                                            django_capture_on_commit_callbacks):
    order = order_for(logged_in, quantity=4)
    mollie.add(responses.POST, API, json=recorded("mollie_payment_open", order), status=201)
    page = client.get(f"/cheques/mijn/bestellingen/{order.pk}/")
    assert b"online-betalen" in page.content

    response = client.post(f"/cheques/mijn/bestellingen/{order.pk}/online-betalen/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.mollie.com/checkout/select-method/7UhSN1zuXS"
    sent = json.loads(mollie.calls[0].request.body)
    assert sent["amount"] == {"currency": "EUR", "value": f"{order.total:.2f}"}
    assert sent["metadata"] == {"order_id": order.pk}
    assert sent["webhookUrl"] == "https://wijkwerken.example/cheques/mollie/webhook/"
    assert mollie.calls[0].request.headers["Authorization"] == "Bearer test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
    online = MolliePayment.objects.get()
    assert online.mollie_id == "tr_7UhSN1zuXS" and online.status == "open"

    # The webhook carries only the id; we fetch the payment from Mollie: paid.
    mollie.add(responses.GET, f"{API}/tr_7UhSN1zuXS", json=recorded("mollie_payment_paid", order))
    anonymous = client.__class__()
    with django_capture_on_commit_callbacks(execute=True):  # the cheques are issued after the commit
        assert anonymous.post("/cheques/mollie/webhook/", {"id": "tr_7UhSN1zuXS"}).status_code == 200
        assert anonymous.post("/cheques/mollie/webhook/", {"id": "tr_7UhSN1zuXS"}).status_code == 200  # again
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.filter(order=order).count() == 1
    assert Cheque.objects.filter(order=order).count() == 4
    assert MolliePayment.objects.get().method == "bancontact"

    response = client.get(f"/cheques/mijn/bestellingen/{order.pk}/betaald/", follow=True)
    assert "ontvangen" in response.content.decode() or response.status_code == 200
    assert Cheque.objects.filter(order=order).count() == 4
    assert [c.request.method for c in mollie.calls].count("GET") == 3


def test_unknown_or_forged_webhook_ids_change_nothing(client, logged_in, mollie):
    order = order_for(logged_in, quantity=1)
    before = AuditEntry.objects.count()
    assert client.post("/cheques/mollie/webhook/", {"id": "tr_forged123"}).status_code == 404
    assert client.post("/cheques/mollie/webhook/", {}).status_code == 404
    assert client.get("/cheques/mollie/webhook/").status_code == 405
    assert len(mollie.calls) == 0  # not even asked
    # A known id whose payment Mollie does not confirm for this order is refused as well.
    MolliePayment.objects.create(organiser=order.organiser, order=order, mollie_id="tr_forged123",
                                 amount=order.total)
    mollie.add(responses.GET, f"{API}/tr_forged123", json=recorded("mollie_not_found", order), status=404)
    assert client.post("/cheques/mollie/webhook/", {"id": "tr_forged123"}).status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and not Payment.objects.exists() and not Cheque.objects.exists()
    assert AuditEntry.objects.count() == before


def test_payment_for_another_order_in_metadata_is_refused(client, logged_in, mollie):
    order, other = order_for(logged_in, quantity=1), order_for(logged_in, quantity=2)
    MolliePayment.objects.create(organiser=order.organiser, order=order, mollie_id="tr_7UhSN1zuXS",
                                 amount=order.total)
    mollie.add(responses.GET, f"{API}/tr_7UhSN1zuXS", json=recorded("mollie_payment_paid", other))
    assert client.post("/cheques/mollie/webhook/", {"id": "tr_7UhSN1zuXS"}).status_code == 400
    assert not Payment.objects.exists()


def test_expired_payment_leaves_the_order_open(client, logged_in, mollie):
    order = order_for(logged_in, quantity=1)
    MolliePayment.objects.create(organiser=order.organiser, order=order, mollie_id="tr_7UhSN1zuXS",
                                 amount=order.total)
    mollie.add(responses.GET, f"{API}/tr_7UhSN1zuXS", json=recorded("mollie_payment_expired", order))
    assert client.post("/cheques/mollie/webhook/", {"id": "tr_7UhSN1zuXS"}).status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    assert MolliePayment.objects.get().status == "expired"
