import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cheques.services.bank_import import bank_import_create
from tests.assignments.factories import ClientFactory, client_with_login


@pytest.fixture
def client_obj(leuven):
    return ClientFactory(municipality=leuven, status="actief", agreement_signed_on="2026-01-05")


@pytest.fixture
def client_login(leuven):
    return client_with_login(leuven, status="actief", agreement_signed_on="2026-01-05")


@pytest.fixture
def upload(organiser, bemiddelaar, django_capture_on_commit_callbacks):
    """Upload a statement as staff; the import task runs (eagerly) after commit."""
    def do(content: bytes, name="uittreksel.cod"):
        with django_capture_on_commit_callbacks(execute=True):
            bank_import = bank_import_create(organiser=organiser, uploaded_file=SimpleUploadedFile(name, content),
                                             actor=bemiddelaar)
        bank_import.refresh_from_db()
        return bank_import
    return do


@pytest.fixture
def give_credit(organiser, upload):
    """Credit as it really arises: a transfer with the client's own structured communication while the client
    has no open order (kept as "payment without an open order", from `iban`)."""
    from tests.cheques.factories import VALID_PAYER_IBAN, coda_file, credit

    references = iter(range(1, 1000))

    def do(client, amount, iban=VALID_PAYER_IBAN):
        upload(coda_file(organiser, [credit(amount, client.structured_communication, structured=True, iban=iban,
                                            name=client.name, reference=f"CREDIT{next(references)}")]))
        return client.credits.order_by("-pk").first()
    return do


@pytest.fixture
def make_paid_worker(organiser, leuven, bemiddelaar):
    """A worker with a login, a valid IBAN (or `iban`) and an assignment that started three months ago."""
    from datetime import timedelta

    from tests.assignments.fixtures import make_assignment, make_worker
    from tests.cheques.factories import THIS_MONTH, worker_iban
    from wijkwerken.core.dates import add_months, today

    counter = iter(range(1, 1000))

    def make(first_name="Ahmed", iban=None, **kwargs):
        n = next(counter)
        start = add_months(THIS_MONTH, -3)
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=start, first_name=first_name,
                             iban=worker_iban(n) if iban is None else iban, **kwargs)
        return make_assignment(organiser, leuven, bemiddelaar, worker, start=start, end=today() + timedelta(days=60))
    return make
