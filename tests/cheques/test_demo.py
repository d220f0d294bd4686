"""The demo: run twice, then the shipped sample statements import as promised (CODA and CAMT.053)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cheques import demo
from cheques.models import BankImport, ChequeOrder, ClientCredit, CreditKind, ImportStatus, OrderStatus
from cheques.services.bank_import import bank_import_create, bank_import_process
from tests.demo import seed_demo
from wijkwerken.accounts.models import User
from wijkwerken.reports.demo.history import HISTORY_IMPORT_PREFIX

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_files(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_FILES", tmp_path)
    monkeypatch.setattr(demo, "CODA_FILE", tmp_path / "demo.cod")
    monkeypatch.setattr(demo, "CAMT_FILE", tmp_path / "demo.xml")
    return tmp_path


@pytest.mark.xdist_group("demo")
def test_demo_seeds_twice_and_its_statements_pay_open_orders(demo_files, settings):
    seed_demo()  # the first run, or what it made (tests/demo.py); the second runs here
    paid_before = ChequeOrder.objects.filter(status=OrderStatus.PAID).count()
    # Last year's history refunded its client's credit; the cheques demo's credit is still held.
    held = ClientCredit.objects.exclude(client__in=ClientCredit.objects.filter(kind=CreditKind.REFUNDED)
                                        .values("client_id")).order_by("pk")
    credit_before = list(held.values_list("client_id", "kind", "amount"))
    call_command("seed_demo", stdout=io.StringIO())
    assert ChequeOrder.objects.filter(status=OrderStatus.PAID).count() == paid_before > 10
    # Two clients hold credit (once, however often the demo runs): one can pay its open order with it.
    assert list(held.values_list("client_id", "kind", "amount")) == credit_before
    assert {kind for _client, kind, _amount in credit_before} == {CreditKind.ALREADY_PAID, CreditKind.UNKNOWN_ORDER}
    with_credit = [client_id for client_id, _kind, _amount in credit_before]
    assert ChequeOrder.objects.filter(client_id__in=with_credit, status=OrderStatus.OPEN).count() == 1
    staff = User.objects.get(email="bemiddelaar@demo.wijkwerken.be")
    results = {}
    for path in (demo.CODA_FILE, demo.CAMT_FILE):
        bank_import = bank_import_create(organiser=staff.organiser, actor=staff,
                                         uploaded_file=SimpleUploadedFile(path.name, path.read_bytes()))
        results[path.suffix] = bank_import_process(bank_import_id=bank_import.pk)
    assert all(r.status == ImportStatus.DONE for r in results.values())
    assert (results[".cod"].lines_matched, results[".cod"].lines_unmatched, results[".cod"].lines_skipped) == (3, 1, 1)
    assert (results[".xml"].lines_matched, results[".xml"].lines_unmatched) == (3, 1)
    assert ChequeOrder.objects.filter(status=OrderStatus.PARTIALLY_PAID).count() == 1
    assert ClientCredit.objects.filter(kind=CreditKind.OVERPAYMENT).count() == 1
    # the history statement, the demo credit, the payout's debit and the two samples (last year's statements aside)
    assert BankImport.objects.exclude(original_name__startswith=HISTORY_IMPORT_PREFIX).count() == 5
