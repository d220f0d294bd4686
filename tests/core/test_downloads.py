"""Stored documents reach a browser only through views that scope them to the user (issue 14, point 1): no URL
serves MEDIA_ROOT, also with DEBUG on; each download is an attachment with a content type chosen by the kind of
document and `nosniff`; another organiser's document is a 404; an uploaded .html "bank statement" is never
served as a page."""

import importlib
import pathlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.urls import clear_url_caches, reverse

from tests.accounts.factories import UserFactory
from tests.assignments.factories import client_with_login
from tests.cheques.factories import order_for
from tests.workers.factories import WorkerFactory
from wijkwerken.accounts.models import Role
from wijkwerken.core.downloads import PrivateStorage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a stand-in for a generated document\n"
HTML_STATEMENT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _file_fields():
    """Every FileField of every model of the project: a new document kind cannot be forgotten."""
    for model in apps.get_models():
        if not model.__module__.startswith(("wijkwerken.", "assignments.", "cheques.", "coaching.", "workers.")):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def _assert_download(response, *, content_type, filename_part):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert filename_part in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def debug_urls(settings):
    """The project's URLs as `make run` builds them (DEBUG on), restored afterwards."""
    import wijkwerken.urls

    settings.DEBUG = True
    importlib.reload(wijkwerken.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(wijkwerken.urls)
    clear_url_caches()


@pytest.fixture
def other_bemiddelaar(other_organiser):
    return UserFactory(role=Role.BEMIDDELAAR, organiser=other_organiser)


def test_every_file_field_stores_privately():
    fields = list(_file_fields())
    assert len(fields) >= 12
    for model, field in fields:
        assert isinstance(field.storage, PrivateStorage), f"{model.__name__}.{field.name}"
    with pytest.raises(ValueError, match="no URL"):
        default_storage.url("agreements/x.pdf")


def test_no_document_is_served_from_the_media_url_even_with_debug_on(client, beheerder, debug_urls):
    client.force_login(beheerder)
    for model, field in _file_fields():
        upload_to = field.upload_to if isinstance(field.upload_to, str) else "various/"
        name = default_storage.save(f"{upload_to}probe-{model.__name__.lower()}.pdf", ContentFile(PDF))
        try:
            for prefix in ("/media/", "/"):
                response = client.get(f"{prefix}{name}")
                assert response.status_code == 404, f"{model.__name__}.{field.name} at {prefix}{name}"
        finally:
            default_storage.delete(name)


def test_an_html_bank_statement_is_a_download_never_a_page(client, bemiddelaar, other_bemiddelaar, organiser,
                                                          debug_urls):
    from cheques.models import BankImport

    bank_import = BankImport(organiser=organiser, original_name="uittreksel.html", file_format="camt053",
                             status="mislukt")
    bank_import.file.save("uittreksel.html", ContentFile(HTML_STATEMENT), save=False)
    bank_import.save()
    url = reverse("cheques:bank_import_file", args=[bank_import.pk])

    client.force_login(bemiddelaar)
    response = client.get(url)
    _assert_download(response, content_type="application/octet-stream", filename_part="uittreksel.html")
    assert b"".join(response.streaming_content) == HTML_STATEMENT
    assert client.get(f"/media/{bank_import.file.name}").status_code == 404
    assert url in client.get(reverse("cheques:bank_import_detail", args=[bank_import.pk])).content.decode()
    client.force_login(other_bemiddelaar)
    assert client.get(url).status_code == 404


def test_the_client_agreement_for_the_client_and_its_organiser_only(client, bemiddelaar, other_bemiddelaar, leuven):
    customer, login = client_with_login(leuven)
    customer.agreement_pdf.save("agreement.pdf", ContentFile(PDF), save=True)

    client.force_login(login)
    _assert_download(client.get(reverse("assignments:my_agreement_pdf")), content_type="application/pdf",
                     filename_part=f"gebruikersovereenkomst-{customer.number}.pdf")
    client.force_login(bemiddelaar)
    url = reverse("assignments:client_agreement_pdf", args=[customer.pk])
    _assert_download(client.get(url), content_type="application/pdf", filename_part="gebruikersovereenkomst")
    client.force_login(other_bemiddelaar)
    assert client.get(url).status_code == 404


def test_the_worker_agreement_for_its_organiser_only(client, bemiddelaar, other_bemiddelaar, organiser, leuven):
    worker = WorkerFactory(organiser=organiser, municipality=leuven)
    url = reverse("workers:agreement_download", args=[worker.pk])
    client.force_login(bemiddelaar)
    assert client.get(url).status_code == 404  # not generated yet
    worker.agreement_pdf.save("agreement.pdf", ContentFile(PDF), save=True)
    _assert_download(client.get(url), content_type="application/pdf", filename_part="wijk-werkovereenkomst")
    client.force_login(other_bemiddelaar)
    assert client.get(url).status_code == 404


def test_an_order_pdf_for_its_client_and_organiser_only(client, bemiddelaar, other_bemiddelaar, leuven):
    customer, login = client_with_login(leuven)
    order = order_for(customer)
    order.pdf.save("order.pdf", ContentFile(PDF), save=True)

    client.force_login(login)
    _assert_download(client.get(reverse("cheques:my_order_pdf", args=[order.pk])), content_type="application/pdf",
                     filename_part=f"bestelling-{order.pk}.pdf")
    client.force_login(bemiddelaar)
    url = reverse("cheques:order_pdf", args=[order.pk])
    _assert_download(client.get(url), content_type="application/pdf", filename_part=f"bestelling-{order.pk}.pdf")
    client.force_login(other_bemiddelaar)
    assert client.get(url).status_code == 404


def test_the_logo_only_for_its_own_organisers_staff(client, beheerder, other_organiser, organiser):
    organiser.logo.save("organisatie.png", ContentFile(b"\x89PNG\r\n\x1a\nnot really"), save=True)
    url = reverse("core:organiser_logo_image")
    client.force_login(beheerder)
    _assert_download(client.get(url), content_type="image/png", filename_part=".png")
    client.force_login(UserFactory(role=Role.BEHEERDER, organiser=other_organiser))
    assert client.get(url).status_code == 404  # the other organiser has no logo; ours is not theirs to see


def test_a_lost_file_is_a_404_not_a_500(client, bemiddelaar, organiser, leuven):
    worker = WorkerFactory(organiser=organiser, municipality=leuven)
    worker.agreement_pdf.save("agreement.pdf", ContentFile(PDF), save=True)
    default_storage.delete(worker.agreement_pdf.name)
    client.force_login(bemiddelaar)
    assert client.get(reverse("workers:agreement_download", args=[worker.pk])).status_code == 404


def test_every_document_response_goes_through_the_one_helper():
    """A view that answers with its own FileResponse would skip the content-type allow-list and `nosniff`."""
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv/", "node_modules/", "tests/", "benchmarks/")) or "/migrations/" in relative:
            continue
        if relative == "wijkwerken/core/downloads.py":
            continue
        if "FileResponse" in path.read_text(encoding="utf-8"):
            offenders.append(relative)
    assert offenders == []

