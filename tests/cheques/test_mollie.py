"""The Mollie flow against recorded HTTP responses (the `responses` library at the HTTP boundary; no network)."""

import json
from pathlib import Path

import pytest
import responses

from cheques.models import Cheque, MolliePayment, OrderStatus, Payment
from cheques.tasks import sync_mollie_payment
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
    # A known id whose payment Mollie does not confirm for this order is refused as well (by the task that
    # checks it; the webhook only queues it).
    MolliePayment.objects.create(organiser=order.organiser, order=order, mollie_id="tr_forged123",
                                 amount=order.total)
    mollie.add(responses.GET, f"{API}/tr_forged123", json=recorded("mollie_not_found", order), status=404)
    assert client.post("/cheques/mollie/webhook/", {"id": "tr_forged123"}).status_code == 200
    assert sync_mollie_payment.apply(args=["tr_forged123"]).get() == "mollie_unavailable"
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and not Payment.objects.exists() and not Cheque.objects.exists()
    assert AuditEntry.objects.count() == before


def test_payment_for_another_order_in_metadata_is_refused(client, logged_in, mollie):
    order, other = order_for(logged_in, quantity=1), order_for(logged_in, quantity=2)
    MolliePayment.objects.create(organiser=order.organiser, order=order, mollie_id="tr_7UhSN1zuXS",
                                 amount=order.total)
    mollie.add(responses.GET, f"{API}/tr_7UhSN1zuXS", json=recorded("mollie_payment_paid", other))
    assert client.post("/cheques/mollie/webhook/", {"id": "tr_7UhSN1zuXS"}).status_code == 200
    assert sync_mollie_payment.apply(args=["tr_7UhSN1zuXS"]).get() == "mismatch"
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


# --- bounded work for outsiders ---------------------------------------------------------------------------------

@pytest.fixture
def queued(monkeypatch):
    """The ids the webhook queues for a check (instead of running the task here)."""
    ids = []
    monkeypatch.setattr(sync_mollie_payment, "delay", ids.append)
    return ids


def test_the_webhook_does_not_call_mollie_itself(client, logged_in, mollie, queued):
    """The web worker answers at once; the check with Mollie is a task."""
    order = order_for(logged_in, quantity=1)
    MolliePayment.objects.create(organiser=order.organiser, order=order, mollie_id="tr_7UhSN1zuXS",
                                 amount=order.total)
    assert client.post("/cheques/mollie/webhook/", {"id": "tr_7UhSN1zuXS"}).status_code == 200
    assert len(mollie.calls) == 0
    assert queued == ["tr_7UhSN1zuXS"]


def test_the_webhook_is_rate_limited_per_payment(client, logged_in, mollie, queued):
    order = order_for(logged_in, quantity=1)
    for mollie_id in ("tr_one", "tr_two"):
        MolliePayment.objects.create(organiser=order.organiser, order=order, mollie_id=mollie_id,
                                     amount=order.total)
    statuses = [client.post("/cheques/mollie/webhook/", {"id": "tr_one"}).status_code for _index in range(15)]
    assert statuses == [200] * 10 + [429] * 5
    assert client.post("/cheques/mollie/webhook/", {"id": "tr_two"}).status_code == 200
    assert queued == ["tr_one"] * 10 + ["tr_two"]
    assert len(mollie.calls) == 0


def test_mollie_unreachable_is_retried_by_the_task_with_short_timeouts(logged_in, mollie, monkeypatch):
    import requests
    from celery.exceptions import Retry

    from cheques.services import mollie as mollie_services

    order = order_for(logged_in, quantity=1)
    MolliePayment.objects.create(organiser=order.organiser, order=order, mollie_id="tr_7UhSN1zuXS",
                                 amount=order.total)
    mollie.add(responses.GET, f"{API}/tr_7UhSN1zuXS", body=requests.exceptions.ReadTimeout("too slow"))
    client = mollie_services.mollie_client()
    assert client.timeout == (2, 5) and client.retry == 1
    attempts = []
    monkeypatch.setattr(sync_mollie_payment, "retry", lambda *args, **kwargs: attempts.append(kwargs) or Retry())
    assert sync_mollie_payment.apply(args=["tr_7UhSN1zuXS"], throw=False).state == "RETRY"
    assert len(attempts) == 1 and attempts[0]["exc"].__class__.__name__ == "MollieUnreachable"
    assert MolliePayment.objects.get().status == "open"
