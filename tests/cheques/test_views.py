import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cheques.models import BankLine, ChequeOrder, LineStatus, OrderStatus
from tests.assignments.factories import client_with_login
from tests.cheques.factories import coda_file, credit, order_for
from wijkwerken.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_client(client, client_login):
    client_obj, user = client_login
    client.force_login(user)
    return client_obj


def test_client_orders_and_sees_payment_details(client, as_client, django_capture_on_commit_callbacks):
    page = client.get("/cheques/mijn/bestellen/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cheques/mijn/bestellen/", {"quantity": "10"})
    order = ChequeOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cheques/mijn/bestellingen/{order.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert order.structured_communication_display in detail and "<svg" in detail
    pdf = client.get(f"/cheques/mijn/bestellingen/{order.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("quantity", ["0", "501", "1000000", "tien", ""])
def test_bad_quantities_are_refused_in_dutch(client, as_client, quantity):
    response = client.post("/cheques/mijn/bestellen/", {"quantity": quantity})
    assert response.status_code == 200
    assert "Bestel tussen 1 en 500 cheques." in response.content.decode()
    assert not ChequeOrder.objects.exists()


def test_someone_elses_order_is_a_404(client, as_client, leuven):
    other, _user = client_with_login(leuven)
    order = order_for(other, quantity=1)
    assert client.get(f"/cheques/mijn/bestellingen/{order.pk}/").status_code == 404
    assert client.get(f"/cheques/mijn/bestellingen/{order.pk}/pdf/").status_code == 404
    assert client.get("/cheques/bestellingen/").status_code == 403


def test_wallet_page(client, as_client):
    page = client.get("/cheques/mijn/")
    assert page.status_code == 200
    assert client.get("/cheques/mijn/paneel/").status_code == 200


def test_staff_lists_filters_and_other_organisers_orders_are_404(client, bemiddelaar, client_obj, other_organiser):
    from tests.assignments.factories import ClientFactory
    from wijkwerken.core.models import Municipality

    order = order_for(client_obj, quantity=3)
    foreign = order_for(ClientFactory(municipality=Municipality.objects.get(nis_code="44021")), quantity=1)
    client.force_login(bemiddelaar)
    listing = client.get("/cheques/bestellingen/", {"q": client_obj.name, "status": "open"}).content.decode()
    assert f"/cheques/bestellingen/{order.pk}/" in listing and f"/cheques/bestellingen/{foreign.pk}/" not in listing
    by_communication = client.get("/cheques/bestellingen/", {"q": order.structured_communication_display})
    assert f"/cheques/bestellingen/{order.pk}/" in by_communication.content.decode()
    assert client.get(f"/cheques/bestellingen/{order.pk}/").status_code == 200
    assert client.get(f"/cheques/bestellingen/{foreign.pk}/").status_code == 404
    assert client.get(f"/cheques/gebruikers/{client_obj.pk}/").status_code == 200
    assert client.get("/cheques/paneel/").status_code == 200


def test_staff_upload_statement_and_handle_the_queue(client, bemiddelaar, organiser, client_obj,
                                                     django_capture_on_commit_callbacks):
    order = order_for(client_obj, quantity=2)
    other = order_for(client_obj, quantity=5)
    content = coda_file(organiser, [credit(order.total, order.structured_communication, structured=True),
                                    credit(other.total, "cheques", name=client_obj.name)])
    client.force_login(bemiddelaar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cheques/bank/", {"file": SimpleUploadedFile("dag.cod", content)})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "1 to handle" in detail.content.decode() or "1 te behandelen" in detail.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    queue = client.get("/cheques/bank/te-behandelen/").content.decode()
    line = BankLine.objects.get(status=LineStatus.UNMATCHED)
    assert f"/cheques/bank/lijnen/{line.pk}/koppelen/" in queue
    response = client.post(f"/cheques/bank/lijnen/{line.pk}/koppelen/", {"order": other.pk, "note": ""})
    line.refresh_from_db()
    assert line.status == LineStatus.UNMATCHED
    client.post(f"/cheques/bank/lijnen/{line.pk}/koppelen/", {"order": other.pk, "note": "naam klopt"})
    line.refresh_from_db()
    other.refresh_from_db()
    assert line.status == LineStatus.ASSIGNED and other.status == OrderStatus.PAID


def test_malformed_upload_shows_the_line(client, bemiddelaar, organiser, django_capture_on_commit_callbacks):
    content = coda_file(organiser, [credit("10.00", "x")]).replace(b"\r\n21", b"\r\n21X", 1)
    client.force_login(bemiddelaar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cheques/bank/", {"file": SimpleUploadedFile("kapot.cod", content)})
    page = client.get(response["Location"]).content.decode()
    assert "Regel 3" in page or "Line 3" in page
    assert not BankLine.objects.exists()


def test_paper_cheque_registration(client, bemiddelaar, client_obj):
    client.force_login(bemiddelaar)
    response = client.post(f"/cheques/gebruikers/{client_obj.pk}/papieren-cheque/", {"serial": "P-2026-000123"})
    assert response.status_code == 302
    assert client_obj.cheques.get().serial == "P-2026-000123"
    again = client.post(f"/cheques/gebruikers/{client_obj.pk}/papieren-cheque/", {"serial": "p-2026-000123"})
    assert again.status_code == 400 and client_obj.cheques.count() == 1


def test_gemeente_and_werkcoach_cannot_see_money(client, make_user, leuven):
    for role in (Role.GEMEENTE, Role.WERKCOACH):
        client.force_login(make_user(role, municipality=leuven if role == Role.GEMEENTE else None))
        assert client.get("/cheques/bestellingen/").status_code == 403
        assert client.get("/cheques/bank/").status_code == 403


def test_credit_to_refund_lists_overpayments_with_the_iban(client, bemiddelaar, organiser, client_obj, upload):
    order = order_for(client_obj, quantity=1)
    upload(coda_file(organiser, [credit(order.total + 3, order.structured_communication, structured=True)]))
    client.force_login(bemiddelaar)
    page = client.get("/cheques/tegoeden/").content.decode()
    assert client_obj.name in page and "BE62510007547061" in page and "€ 3,00" in page
