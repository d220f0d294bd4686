import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cheques.models import BankLine, ChequeOrder, ClientCredit, CreditKind, LineStatus, OrderStatus, RefundBatch
from cheques.services.refunds import refund_execution_date_default
from tests.assignments.factories import ClientFactory, client_with_login
from tests.cheques.factories import coda_file, credit, order_for
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import Municipality

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
    assert client_obj.name in page and "BE62 5100 0754 7061" in page and "€ 3,00" in page


# --- credit: used for an order, refunded in a SEPA file -----------------------------------------------------

def _refund_post(client, client_ids, execution_date=None):
    data = {"clients": [str(pk) for pk in client_ids],
            "execution_date": (execution_date or refund_execution_date_default()).isoformat()}
    return client.post("/cheques/tegoeden/", data)


@pytest.mark.parametrize("role", [Role.GEBRUIKER, Role.WERKCOACH, Role.GEMEENTE])
def test_only_bemiddelaars_and_beheerders_handle_credit(client, make_user, leuven, client_obj, give_credit, role):
    give_credit(client_obj, "10.00")
    order = order_for(client_obj, quantity=1)
    client.force_login(make_user(role, municipality=leuven if role in (Role.GEMEENTE, Role.GEBRUIKER) else None))
    for url in ("/cheques/tegoeden/", "/cheques/terugbetalingen/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/cheques/bestellingen/{order.pk}/met-tegoed-betalen/").status_code == 403
    assert _refund_post(client, [client_obj.pk]).status_code == 403
    assert not RefundBatch.objects.exists() and order.payments.count() == 0
    client.logout()
    assert client.get("/cheques/terugbetalingen/").status_code == 302  # to the login page


def test_staff_pay_an_order_with_credit_from_the_client_page(client, bemiddelaar, client_obj, give_credit,
                                                              django_capture_on_commit_callbacks):
    give_credit(client_obj, "30.00")
    order = order_for(client_obj, quantity=3)
    client.force_login(bemiddelaar)
    page = client.get(f"/cheques/gebruikers/{client_obj.pk}/").content.decode()
    assert "Betalen met tegoed" in page and "€ 17,85 van het tegoed betaalt ze volledig." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cheques/bestellingen/{order.pk}/met-tegoed-betalen/", {"back": "client"})
    assert response.status_code == 302 and response["Location"] == f"/cheques/gebruikers/{client_obj.pk}/"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and client_obj.cheques.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "€ 17,85 van het tegoed werd op bestelling" in page
    assert f"Gebruikt voor bestelling {order.pk}" in page and "€ 12,15" in page


def test_staff_pay_part_of_an_order_with_credit_from_the_order_page(client, beheerder, client_obj, give_credit):
    give_credit(client_obj, "5.00")
    order = order_for(client_obj, quantity=2)
    client.force_login(beheerder)
    page = client.get(f"/cheques/bestellingen/{order.pk}/").content.decode()
    assert "De gebruiker heeft € 5,00 tegoed" in page and "daarna blijft € 6,90 te betalen" in page
    response = client.post(f"/cheques/bestellingen/{order.pk}/met-tegoed-betalen/", {"back": "order"})
    assert response.status_code == 302 and response["Location"] == f"/cheques/bestellingen/{order.pk}/"
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_PAID and order.amount_paid == Decimal("5.00")
    assert "Betalen met tegoed" not in client.get(response["Location"]).content.decode()  # no credit left


def test_paying_with_credit_that_is_gone_shows_the_reason_and_changes_nothing(client, bemiddelaar, client_obj):
    order = order_for(client_obj, quantity=1)
    client.force_login(bemiddelaar)
    response = client.post(f"/cheques/bestellingen/{order.pk}/met-tegoed-betalen/", {"back": "client"})
    assert response.status_code == 400
    assert "Deze gebruiker heeft geen tegoed." in response.content.decode()
    response = client.post(f"/cheques/bestellingen/{order.pk}/met-tegoed-betalen/", {"back": "order"})
    assert response.status_code == 400 and "Deze gebruiker heeft geen tegoed." in response.content.decode()
    assert client.get(f"/cheques/bestellingen/{order.pk}/met-tegoed-betalen/").status_code == 405
    order.refresh_from_db()
    assert order.amount_paid == 0 and not order.payments.exists()


def test_staff_create_a_refund_and_download_its_file(client, bemiddelaar, organiser, leuven, client_obj, give_credit):
    give_credit(client_obj, "12.50")
    second = ClientFactory(municipality=leuven, iban="BE71 0961 2345 6769")
    give_credit(second, "3.20")
    client.force_login(bemiddelaar)
    page = client.get("/cheques/tegoeden/").content.decode()
    assert f'value="{refund_execution_date_default().isoformat()}"' in page  # the next working day
    assert "Terugbetaling aanmaken" in page
    response = _refund_post(client, [client_obj.pk, second.pk])
    batch = RefundBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cheques/terugbetalingen/{batch.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Terugbetaling 1 aangemaakt: 2 overschrijvingen, € 15,70." in detail
    assert "BE71 0961 2345 6769" in detail and "BE62 5100 0754 7061" in detail and "€ 15,70" in detail
    assert f"TB1-{second.number}" in detail
    listing = client.get("/cheques/terugbetalingen/").content.decode()
    assert f"/cheques/terugbetalingen/{batch.pk}/" in listing and "terugbetaling-1.xml" in listing
    download = client.get(f"/cheques/terugbetalingen/{batch.pk}/bestand/")
    assert download.status_code == 200 and download["Content-Type"] == "application/xml"
    assert 'filename="terugbetaling-1.xml"' in download["Content-Disposition"]
    assert b"<CtrlSum>15.70</CtrlSum>" in b"".join(download.streaming_content)
    assert "Geen tegoed terug te betalen." in client.get("/cheques/tegoeden/").content.decode()
    money = client.get(f"/cheques/gebruikers/{client_obj.pk}/").content.decode()
    assert "Terugbetaald (terugbetaling 1)" in money


def test_bad_refund_input_is_refused_in_dutch_and_changes_nothing(client, bemiddelaar, leuven, client_obj,
                                                                  give_credit, other_organiser):
    give_credit(client_obj, "12.50")
    foreign = ClientFactory(municipality=Municipality.objects.get(nis_code="44021"))
    no_iban = ClientFactory(municipality=leuven)
    give_credit(no_iban, "2.00", iban="")
    client.force_login(bemiddelaar)
    cases = [
        ([], None, "Vink minstens één gebruiker aan om terug te betalen."),
        ([foreign.pk], None, "Een van de aangevinkte gebruikers kan hier niet terugbetaald worden."),
        ([client_obj.pk], datetime.date.today() - datetime.timedelta(days=1),
         "De uitvoeringsdatum kan niet in het verleden liggen."),
        ([client_obj.pk, no_iban.pk], None, "Geen geldig IBAN om naar terug te betalen voor"),
    ]
    for client_ids, execution_date, message in cases:
        response = _refund_post(client, client_ids, execution_date)
        assert response.status_code == 400, message
        page = response.content.decode()
        assert message in page
        if client_obj.pk in client_ids:  # the ticked clients stay ticked
            assert f'value="{client_obj.pk}" id="refund-{client_obj.pk}"\n                 checked' in page
    assert client.post("/cheques/tegoeden/", {"clients": ["x"], "execution_date": "morgen"}).status_code == 400
    assert not RefundBatch.objects.exists()
    assert not ClientCredit.objects.filter(kind=CreditKind.REFUNDED).exists()
    assert "geen geldig IBAN" in client.get("/cheques/tegoeden/").content.decode()


def test_another_organisers_refunds_and_orders_are_404(client, bemiddelaar, client_obj, give_credit, other_organiser):
    from tests.accounts.factories import UserFactory

    give_credit(client_obj, "12.50")
    order = order_for(client_obj, quantity=1)
    client.force_login(bemiddelaar)
    _refund_post(client, [client_obj.pk])
    batch = RefundBatch.objects.get()
    client.force_login(UserFactory(role=Role.BEHEERDER, organiser=other_organiser))
    assert client.get(f"/cheques/terugbetalingen/{batch.pk}/").status_code == 404
    assert client.get(f"/cheques/terugbetalingen/{batch.pk}/bestand/").status_code == 404
    assert f"/cheques/terugbetalingen/{batch.pk}/" not in client.get("/cheques/terugbetalingen/").content.decode()
    assert client.post(f"/cheques/bestellingen/{order.pk}/met-tegoed-betalen/").status_code == 404
    order.refresh_from_db()
    assert order.amount_paid == 0


# --- counts: one is singular ---------------------------------------------------------------------------------

PLURAL_AFTER_ONE = re.compile(
    r"(?<![\d.,])1 (cheques|papieren cheques|bestellingen|verrichtingen|nieuwe inkomende verrichtingen|"
    r"bankverrichtingen|dagen|dag geleden|maanden|prestaties|overschrijvingen|terugbetalingen)\b")


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_every_count_of_one_is_singular_on_every_money_page(client, organiser, client_login, bemiddelaar, upload,
                                                            django_capture_on_commit_callbacks):
    """One cheque available, one open order of one cheque, one paid order of one cheque, one paper cheque, one
    bank line to handle, rules of one day and one month: no page says "1 cheques" (or any plural after 1)."""
    from wijkwerken.core.models import RuleSet

    RuleSet.objects.filter(organiser=organiser).update(order_payment_days=1, cheque_validity_months=1)
    client_obj, user = client_login
    paid = order_for(client_obj, quantity=1)
    bank_import = upload(coda_file(organiser, [credit(paid.total, paid.structured_communication, structured=True)]))
    queued = upload(coda_file(organiser, [credit("3.00", "onbekend", reference="Q1")]))
    client.force_login(bemiddelaar)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cheques/gebruikers/{client_obj.pk}/papieren-cheque/", {"serial": "PAPER-0001"})
    open_order = order_for(client_obj, quantity=1)
    staff_pages = ["/cheques/paneel/", "/cheques/bestellingen/", f"/cheques/bestellingen/{open_order.pk}/",
                   f"/cheques/bestellingen/{paid.pk}/", f"/cheques/gebruikers/{client_obj.pk}/",
                   f"/cheques/gebruikers/{client_obj.pk}/bestellen/", "/cheques/bank/",
                   f"/cheques/bank/{bank_import.pk}/", f"/cheques/bank/{queued.pk}/", "/cheques/bank/te-behandelen/"]
    texts = {url: _text(client.get(url)) for url in staff_pages}
    client.force_login(user)
    client_pages = ["/cheques/mijn/", "/cheques/mijn/paneel/", "/cheques/mijn/bestellingen/",
                    f"/cheques/mijn/bestellingen/{open_order.pk}/", "/cheques/mijn/bestellen/"]
    texts |= {url: _text(client.get(url)) for url in client_pages}

    assert {url: PLURAL_AFTER_ONE.findall(text) for url, text in texts.items() if PLURAL_AFTER_ONE.search(text)} == {}
    assert "1 bestelling wacht op betaling" in texts["/cheques/paneel/"]
    assert "1 bankverrichting te behandelen" in texts["/cheques/paneel/"]
    assert "2 cheques beschikbaar" in texts["/cheques/mijn/"]  # the bought one and the paper one
    assert f"Bestelling {open_order.pk}: 1 cheque" in texts["/cheques/mijn/"]
    assert "1 cheque van € " in texts[f"/cheques/bestellingen/{open_order.pk}/"]
    assert "1 cheque besteld voor" in texts[f"/cheques/bestellingen/{open_order.pk}/"]
    assert f"1 cheque uitgegeven (bestelling {paid.pk})" in texts[f"/cheques/gebruikers/{client_obj.pk}/"]
    assert "1 papieren cheque geregistreerd" in texts[f"/cheques/gebruikers/{client_obj.pk}/"]
    assert "1 nieuwe inkomende verrichting " in texts[f"/cheques/bank/{queued.pk}/"]
    assert "Betaal binnen 1 dag. De cheques zijn 1 maand geldig" in texts["/cheques/mijn/bestellen/"]


def test_audit_summaries_and_mails_count_one_cheque_in_the_singular(client_obj, leuven):
    from cheques.services.orders import _reminder_mail
    from wijkwerken.core.models import AuditEntry

    order = order_for(client_obj, quantity=1)
    assert AuditEntry.objects.get(action="cheque_order.create").summary.startswith("1 cheque besteld voor")
    _subject, body = _reminder_mail(order)
    assert "uw bestelling van 1 cheque van" in body


@pytest.mark.parametrize("quantity", ["٣", "١٠", "１０", "५"])
def test_digits_from_other_scripts_are_not_a_quantity(client, as_client, quantity):
    """Python's int() reads "٣" as 3; a person who typed it did not order three cheques."""
    response = client.post("/cheques/mijn/bestellen/", {"quantity": quantity})
    assert response.status_code == 200
    assert "Bestel tussen 1 en 500 cheques." in response.content.decode()
    assert not ChequeOrder.objects.exists()


@pytest.mark.parametrize("issued_on", ["1900-01-01", "0001-01-01", "9999-12-31"])
def test_a_paper_cheque_from_outside_the_date_window_is_refused(client, bemiddelaar, client_obj, issued_on):
    client.force_login(bemiddelaar)
    response = client.post(f"/cheques/gebruikers/{client_obj.pk}/papieren-cheque/",
                           {"serial": "P-2026-000124", "issued_on": issued_on})
    assert response.status_code == 400
    assert "Vul een datum in van 01/01/2000 tot" in response.content.decode()
    assert not client_obj.cheques.exists()


def test_an_order_without_its_confirmation_yet_gets_it_rendered_on_the_first_download(client, as_client):
    from cheques.services.orders import cheque_order_create

    order = cheque_order_create(client=as_client, quantity=2, actor=None, confirmation_now=False)
    order.refresh_from_db()
    assert not order.pdf
    response = client.get(f"/cheques/mijn/bestellingen/{order.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    order.refresh_from_db()
    assert order.pdf
