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
