import datetime
import io
from decimal import Decimal

import pytest
import time_machine
import zxingcpp
from django.core import mail
from django.core.exceptions import ValidationError
from PIL import Image

from assignments.models import FeeStatus, RegistrationFee
from cheques.models import Cheque, ChequeOrder, OrderStatus, PaymentMethod
from cheques.pdf import epc_qr, epc_qr_svg, render_order_pdf
from cheques.services.cheques import cheques_issue_for_orders
from cheques.services.orders import (
    Receipt,
    cheque_order_cancel,
    cheque_order_create,
    cheque_orders_cancel_overdue,
    cheque_orders_send_reminders,
    payments_apply,
)
from tests.core.factories import ChequePriceFactory
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_order_uses_the_municipal_price_and_adds_the_due_fee(client_obj, leuven, bemiddelaar):
    ChequePriceFactory(municipality=leuven, price=Decimal("6.45"), decided_on=datetime.date(2019, 10, 1),
                       valid_from=datetime.date(2020, 1, 1))
    fee = RegistrationFee.objects.create(client=client_obj, year=datetime.date.today().year, amount=Decimal("7.50"))
    order = cheque_order_create(client=client_obj, quantity=10, actor=bemiddelaar)
    assert order.cheque_price == Decimal("6.45")
    assert order.cheques_amount == Decimal("64.50")
    assert order.fee == fee and order.fee_amount == Decimal("7.50")
    assert order.total == Decimal("72.00")
    assert order.status == OrderStatus.OPEN
    assert order.due_on == order.ordered_on + datetime.timedelta(days=14)
    assert order.cancel_after == order.due_on + datetime.timedelta(days=10)
    assert len(order.structured_communication) == 12
    entry = AuditEntry.objects.get(action="cheque_order.create")
    assert entry.actor == bemiddelaar
    # The fee is asked only once: a second order while the first is open does not repeat it.
    second = cheque_order_create(client=client_obj, quantity=2, actor=bemiddelaar)
    assert second.fee is None and second.total == Decimal("12.90")


@pytest.mark.parametrize("quantity", [0, -1, 501, 1_000_000, "abc", "", None, True])
def test_orders_outside_the_bounds_are_refused_without_side_effects(client_obj, quantity):
    with pytest.raises(ValidationError) as error:
        cheque_order_create(client=client_obj, quantity=quantity, actor=None)
    assert error.value.error_dict["quantity"][0].code == "quantity_out_of_range"
    assert not ChequeOrder.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="cheque_order").exists()


def test_stopped_client_cannot_order(client_obj):
    client_obj.status = "stopgezet"
    client_obj.stopped_on = datetime.date.today()
    client_obj.save()
    with pytest.raises(ValidationError) as error:
        cheque_order_create(client=client_obj, quantity=5, actor=None)
    assert error.value.code == "client_stopped"


def test_paying_in_full_issues_cheques_once_and_marks_the_fee_paid(client_obj, bemiddelaar,
                                                                   django_capture_on_commit_callbacks):
    fee = RegistrationFee.objects.create(client=client_obj, year=datetime.date.today().year, amount=Decimal("7.50"))
    order = cheque_order_create(client=client_obj, quantity=3, actor=None)
    receipt = Receipt(amount=order.total, received_on=datetime.date.today(), method=PaymentMethod.CREDIT,
                      order_ids=[order.pk])
    with django_capture_on_commit_callbacks(execute=True):
        payments_apply(organiser=order.organiser, receipts=[receipt], actor=bemiddelaar)
        assert not Cheque.objects.filter(client=client_obj).exists()  # issued by a task after the commit
    with django_capture_on_commit_callbacks(execute=True):
        payments_apply(organiser=order.organiser, receipts=[receipt], actor=bemiddelaar)
        cheques_issue_for_orders(order_ids=[order.pk], actor=None)  # the task again: nothing more
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.amount_paid == order.total
    cheques = list(Cheque.objects.filter(client=client_obj))
    assert len(cheques) == 3
    assert len({c.serial for c in cheques}) == 3
    assert all(c.expires_on.year == datetime.date.today().year + 1 for c in cheques)
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PAID
    # The second payment was not put on the paid order: it became the client's credit.
    assert client_obj.credits.get().amount == order.total


def test_cancel_only_open_orders_without_payments(client_obj):
    order = cheque_order_create(client=client_obj, quantity=2, actor=None)
    cheque_order_cancel(order=order, actor=None, reason="vergist")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    with pytest.raises(ValidationError) as error:
        cheque_order_cancel(order=order, actor=None)
    assert error.value.code == "cannot_cancel"


def test_unpaid_order_is_reminded_after_the_due_date_and_cancelled_only_after_the_grace_period(
        client_obj, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 10, 0), tick=False):
        order = cheque_order_create(client=client_obj, quantity=2, actor=None)
    assert order.due_on == datetime.date(2026, 2, 15)
    assert order.cancel_after == datetime.date(2026, 2, 25)
    assert cheque_orders_send_reminders(on=datetime.date(2026, 2, 15)) == 0  # not on the due date itself
    with django_capture_on_commit_callbacks(execute=True):
        assert cheque_orders_send_reminders(on=datetime.date(2026, 2, 16)) == 1
    assert cheque_orders_send_reminders(on=datetime.date(2026, 2, 17)) == 0  # once
    assert len(mail.outbox) == 1 and order.structured_communication_display in mail.outbox[0].body
    assert cheque_orders_cancel_overdue(on=datetime.date(2026, 2, 15)) == 0
    assert cheque_orders_cancel_overdue(on=datetime.date(2026, 2, 25)) == 0
    assert cheque_orders_cancel_overdue(on=datetime.date(2026, 2, 26)) == 1
    assert cheque_orders_cancel_overdue(on=datetime.date(2026, 2, 27)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.cancelled_on == datetime.date(2026, 2, 26)
    assert AuditEntry.objects.filter(action="cheque_order.cancel", object_id=str(order.pk)).count() == 1


def test_partially_paid_order_is_not_cancelled(client_obj):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 10, 0), tick=False):
        order = cheque_order_create(client=client_obj, quantity=2, actor=None)
    payments_apply(organiser=order.organiser, actor=None, receipts=[Receipt(
        amount=Decimal("5.00"), received_on=datetime.date(2026, 2, 3), method=PaymentMethod.CREDIT,
        order_ids=[order.pk])])
    assert cheque_orders_cancel_overdue(on=datetime.date(2026, 3, 31)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_PAID


def test_epc_qr_payload_decodes_to_the_payment(client_obj):
    order = cheque_order_create(client=client_obj, quantity=10, actor=None)
    buffer = io.BytesIO()
    epc_qr(order).save(buffer, kind="png", scale=5)
    buffer.seek(0)
    results = zxingcpp.read_barcodes(Image.open(buffer))
    lines = results[0].text.split("\n")
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert lines[4] == order.organiser.bic
    assert lines[5] == order.organiser.name
    assert lines[6] == order.organiser.iban.replace(" ", "")
    assert Decimal(lines[7].removeprefix("EUR")) == order.total
    assert lines[9] == order.structured_communication


def test_the_order_page_qr_follows_the_amount_still_due(client_obj):
    """The page's QR is remembered by what it encodes: after a partial payment the page shows the QR of the rest."""
    order = cheque_order_create(client=client_obj, quantity=10, actor=None)
    before = epc_qr_svg(order)
    assert before == epc_qr(order).svg_inline(scale=4, border=2, title="EPC QR")
    payments_apply(organiser=order.organiser, actor=None, receipts=[Receipt(
        amount=Decimal("5.00"), received_on=datetime.date(2026, 2, 3), method=PaymentMethod.CREDIT,
        order_ids=[order.pk])])
    order.refresh_from_db()
    after = epc_qr_svg(order)
    assert after != before and after == epc_qr(order).svg_inline(scale=4, border=2, title="EPC QR")


def test_order_pdf_renders_with_the_payment_details(client_obj, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = cheque_order_create(client=client_obj, quantity=10, actor=None)
    order.refresh_from_db()
    assert f"bestelling-{order.pk}" in order.pdf.name  # rendered after commit by the task
    assert order.pdf.storage.exists(order.pdf.name)
    pdf = render_order_pdf(order)
    assert pdf.startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_the_same_time_issue_the_cheques_once(organiser, leuven):
    """Two webhooks or imports for the same order in parallel (PostgreSQL, real connections)."""
    import threading

    from django.db import connection

    from tests.assignments.factories import ClientFactory

    client_obj = ClientFactory(municipality=leuven, status="actief", agreement_signed_on="2026-01-05")
    order = cheque_order_create(client=client_obj, quantity=6, actor=None)
    barrier = threading.Barrier(2)
    errors = []

    def pay():
        try:
            barrier.wait()
            payments_apply(organiser=organiser, actor=None, receipts=[Receipt(
                amount=order.total, received_on=datetime.date.today(), method=PaymentMethod.CREDIT,
                order_ids=[order.pk])])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads) and errors == []
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.amount_paid == order.total
    assert Cheque.objects.filter(order=order).count() == 6
    assert client_obj.credits.get().amount == order.total  # the second payment became credit


def test_a_preprinted_communication_must_be_valid_and_unused(client_obj):
    order = cheque_order_create(client=client_obj, quantity=1, actor=None, communication="090933755493")
    assert order.structured_communication == "090933755493"
    for bad in ("090933755493", "090933755494"):
        with pytest.raises(ValidationError) as error:
            cheque_order_create(client=client_obj, quantity=1, actor=None, communication=bad)
        assert error.value.code == "invalid_communication"
    assert ChequeOrder.objects.count() == 1


def test_the_sweep_issues_the_cheques_of_a_paid_order_whose_task_was_lost(client_obj, settings):
    from cheques.tasks import issue_cheques_sweep

    order = cheque_order_create(client=client_obj, quantity=2, actor=None)
    payments_apply(organiser=order.organiser, actor=None, receipts=[Receipt(
        amount=order.total, received_on=datetime.date.today(), method=PaymentMethod.CREDIT, order_ids=[order.pk])])
    assert not Cheque.objects.exists()  # the after-commit task never ran (no commit in this test)
    assert issue_cheques_sweep() == 2
    assert issue_cheques_sweep() == 0
    assert Cheque.objects.filter(order=order).count() == 2
    order.refresh_from_db()
    assert order.cheques_issued_at is not None
    assert "cheques-issue-sweep" in settings.CELERY_BEAT_SCHEDULE


def test_rendering_the_confirmation_again_keeps_one_file_per_order(client_obj, settings, tmp_path):
    from cheques.pdf import store_order_pdf

    settings.MEDIA_ROOT = str(tmp_path)  # no files of earlier runs with the same order number

    order = cheque_order_create(client=client_obj, quantity=2, actor=None)
    store_order_pdf(order.pk)
    ChequeOrder.objects.filter(pk=order.pk).update(pdf="")  # what a payment does: render again on download
    store_order_pdf(order.pk)
    store_order_pdf(order.pk)
    order.refresh_from_db()
    storage = order.pdf.storage
    _dirs, files = storage.listdir("cheque_orders")
    assert [name for name in files if name.startswith(f"bestelling-{order.pk}")] == [f"bestelling-{order.pk}.pdf"]
    assert order.pdf.name == f"cheque_orders/bestelling-{order.pk}.pdf"
    with storage.open(order.pdf.name) as handle:
        assert handle.read(5) == b"%PDF-"
