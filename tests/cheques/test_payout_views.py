"""The payout pages: the beheerder's run, the statements, the worker's "Mijn vergoedingen", and the bank statement
that marks a batch executed."""

import re
import subprocess
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cheques.bank.samples import SampleLine, build_camt053, build_coda
from cheques.models import PayoutBatch, PayoutBatchStatus, PayoutCorrection, PayoutLine, PayoutStatement
from cheques.services.bank_import import bank_import_create, bank_import_process
from cheques.services.payouts import payout_batch_confirm, payout_preview
from tests.cheques.factories import LAST_MONTH, THIS_MONTH, day_of, paid_prestatie, worker_iban
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import add_months, today
from wijkwerken.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db

MONTH = f"{LAST_MONTH:%Y-%m}"


@pytest.fixture
def paid_worker(make_paid_worker):
    assignment = make_paid_worker("Ahmed", last_name="Haddad")
    paid_prestatie(assignment, day_of(LAST_MONTH, 3), minutes=150, kilometres="24")
    paid_prestatie(assignment, day_of(LAST_MONTH, 10), minutes=60)
    return assignment


def _confirm(organiser, beheerder):
    preview = payout_preview(organiser=organiser, month=LAST_MONTH)
    return payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint=preview.fingerprint,
                                actor=beheerder)


def _pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


def test_the_beheerder_previews_and_confirms_a_run_through_the_pages(client, organiser, beheerder, paid_worker,
                                                                     make_paid_worker,
                                                                     django_capture_on_commit_callbacks):
    without_iban = make_paid_worker("Karim", iban="")
    paid_prestatie(without_iban, day_of(LAST_MONTH, 4))
    client.force_login(beheerder)
    page = client.get(f"/cheques/uitbetalingen/voorbeeld/?maand={MONTH}").content.decode()
    assert "Ahmed Haddad" in page and "€ 20,00" in page
    assert "Geen IBAN" in page and f"/wijkwerkers/{without_iban.worker_id}/wijzigen/" in page
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cheques/uitbetalingen/bevestigen/", {
            "month": MONTH, "fingerprint": fingerprint, "execution_date": today().isoformat()})

    batch = PayoutBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cheques/uitbetalingen/{batch.pk}/"
    assert batch.total == Decimal("20.00") and batch.count == 1
    download = client.get(f"/cheques/uitbetalingen/{batch.pk}/bestand/")
    assert download["Content-Disposition"] == f'attachment; filename="{batch.file_name}"'
    assert b"".join(download.streaming_content).startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    notification = Notification.objects.get(recipient=paid_worker.worker.user, key=f"cheques.payout.{batch.pk}")
    assert "€ 20,00" in notification.text and notification.url == "/cheques/mijn/vergoedingen/"

    again = client.post("/cheques/uitbetalingen/bevestigen/", {
        "month": MONTH, "fingerprint": fingerprint, "execution_date": today().isoformat()})
    assert again.status_code == 400
    assert "Deze voorvertoning werd al bevestigd: uitbetaling 1." in again.content.decode()
    assert PayoutBatch.objects.count() == 1


@pytest.mark.parametrize(("execution_date", "message"), [
    ("2020-01-01", "De uitvoeringsdatum kan niet in het verleden liggen."),
    (add_months(today(), 24).isoformat(), "Kies een uitvoeringsdatum binnen het jaar."),
    ("2099-01-01", "Vul een datum in van 01/01/2000 tot"),
    ("31/02/2027", "Vul een geldige datum in."),
    ("", "Kies de uitvoeringsdatum."),
])
def test_a_bad_execution_date_is_refused_and_nothing_is_paid(client, organiser, beheerder, paid_worker,
                                                              execution_date, message):
    client.force_login(beheerder)
    preview = payout_preview(organiser=organiser, month=LAST_MONTH)
    response = client.post("/cheques/uitbetalingen/bevestigen/", {
        "month": MONTH, "fingerprint": preview.fingerprint, "execution_date": execution_date})
    assert response.status_code == 400 and message in response.content.decode()
    assert not PayoutBatch.objects.exists()


def test_an_iban_changed_since_the_preview_is_refused_on_the_page(client, organiser, beheerder, paid_worker):
    client.force_login(beheerder)
    preview = payout_preview(organiser=organiser, month=LAST_MONTH)
    worker = paid_worker.worker
    worker.iban = worker_iban(901)
    worker.save(update_fields=["iban"])
    response = client.post("/cheques/uitbetalingen/bevestigen/", {
        "month": MONTH, "fingerprint": preview.fingerprint, "execution_date": today().isoformat()})
    page = response.content.decode()
    assert response.status_code == 400 and "het IBAN van een wijk-werker erin gewijzigd" in page
    assert worker_iban(901) in page  # the new preview shows the new IBAN ...
    new_fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)
    assert new_fingerprint == payout_preview(organiser=organiser, month=LAST_MONTH).fingerprint  # ... to confirm
    assert not PayoutBatch.objects.exists()


def test_a_future_month_is_not_previewed(client, beheerder):
    client.force_login(beheerder)
    future = add_months(THIS_MONTH, 1)
    response = client.get(f"/cheques/uitbetalingen/voorbeeld/?maand={future:%Y-%m}", follow=True)
    assert "kan nog niet uitbetaald worden: die maand is nog niet begonnen" in response.content.decode()
    response = client.post("/cheques/uitbetalingen/bevestigen/", {
        "month": f"{future:%Y-%m}", "fingerprint": "x", "execution_date": today().isoformat()}, follow=True)
    assert "die maand is nog niet begonnen" in response.content.decode()
    assert not PayoutBatch.objects.exists()


def test_payouts_are_the_beheerders_and_someone_elses_are_a_404(client, organiser, beheerder, bemiddelaar,
                                                               paid_worker, other_organiser, make_user):
    batch = _confirm(organiser, beheerder)
    line = batch.lines.get()
    client.force_login(bemiddelaar)
    assert client.get("/cheques/uitbetalingen/").status_code == 403
    assert client.get("/cheques/geldoverzicht/").status_code == 403
    client.force_login(make_user(Role.BEHEERDER, organiser=other_organiser))
    for url in (f"/cheques/uitbetalingen/{batch.pk}/", f"/cheques/uitbetalingen/{batch.pk}/bestand/",
                f"/cheques/uitbetalingen/lijnen/{line.pk}/", f"/cheques/uitbetalingen/lijnen/{line.pk}/afrekening.pdf",
                f"/cheques/uitbetalingen/wijk-werkers/{line.worker_id}/{today().year}/jaaroverzicht.pdf",
                f"/cheques/uitbetalingen/voorbeeld/{line.worker_id}/?maand={MONTH}"):
        assert client.get(url).status_code == 404, url


def test_the_worker_sees_the_statement_and_opens_its_pdf(client, organiser, beheerder, paid_worker,
                                                         make_paid_worker):
    batch = _confirm(organiser, beheerder)
    line = batch.lines.get()
    worker = paid_worker.worker
    paid_prestatie(paid_worker, today(), settle=False)  # waits for the client's cheques
    client.force_login(worker.user)
    page = client.get("/cheques/mijn/vergoedingen/").content.decode()
    assert "€ 20,00" in page and "Afrekening" in page
    assert "de gebruiker heeft ze nog niet met cheques betaald" in page
    statement = client.get(f"/cheques/mijn/vergoedingen/{line.pk}/afrekening.pdf")
    assert statement["Content-Disposition"].startswith("attachment;")
    text = _pdf_text(statement)
    for expected in ("Afrekening van uw wijk-werkvergoeding", "Ahmed Haddad", "24,0", "€ 3,60", "€ 20,00",
                     line.iban_display, batch.execution_date.strftime("%d/%m/%Y"), "Pagina 1 van 1",
                     f"Wijk-werkvergoeding {LAST_MONTH:%m/%Y}"):
        assert expected in text, expected
    assert PayoutStatement.objects.get(line=line).file.name.startswith("payout_statements/")
    assert "/media/" not in page
    year = client.get(f"/cheques/mijn/vergoedingen/{batch.execution_date.year}/jaaroverzicht.pdf")
    assert "Totaal" in _pdf_text(year)
    # Another worker's statement is a 404, and so is a year without payouts.
    other = make_paid_worker("Other")
    client.force_login(other.worker.user)
    assert client.get(f"/cheques/mijn/vergoedingen/{line.pk}/afrekening.pdf").status_code == 404
    assert client.get(f"/cheques/mijn/vergoedingen/{batch.execution_date.year}/jaaroverzicht.pdf").status_code == 404
    assert client.get("/cheques/mijn/vergoedingen/").status_code == 200


def test_the_worker_sees_the_next_payment_date_and_why_they_are_not_paid(client, organiser, paid_worker, beheerder):
    from wijkwerken.core.services import payout_date_set
    payout_date_set(organiser=organiser, month=THIS_MONTH, pays_on=add_months(THIS_MONTH, 1).replace(day=9),
                    actor=beheerder)
    worker = paid_worker.worker
    worker.iban = ""
    worker.save(update_fields=["iban"])
    client.force_login(worker.user)
    page = client.get("/cheques/mijn/vergoedingen/").content.decode()
    assert "9 " in page and "voor het werk van" in page
    assert "we hebben je rekeningnummer (IBAN) nog niet" in page
    panel = client.get("/cheques/mijn/vergoedingen/paneel/").content.decode()
    assert "Je vergoeding" in panel and "€ 20,00" in panel


def test_a_correction_through_its_page(client, organiser, beheerder, paid_worker):
    client.force_login(beheerder)
    url = "/cheques/uitbetalingen/correctie/"
    page = client.get(f"{url}?werker={paid_worker.worker_id}").content.decode()
    assert f'value="{paid_worker.worker_id}" checked' in page  # the search field shows the chosen worker
    for amount, message in (("0", "Een correctie van € 0,00 verandert niets."),
                            ("veel", "Vul een bedrag in, bv. 8,20 of -8,20."),
                            ("99999", "Een correctie is hoogstens € 5.000,00"),
                            ("1,234", "Vul het bedrag in euro en cent in")):
        response = client.post(url, {"worker": paid_worker.worker_id, "amount": amount, "reason": "Test"})
        assert response.status_code == 400 and message in response.content.decode(), amount
    assert client.post(url, {"worker": paid_worker.worker_id, "amount": "5", "reason": ""}).status_code == 400
    assert not PayoutCorrection.objects.exists()
    response = client.post(url, {"worker": paid_worker.worker_id, "amount": "-8,20",
                                 "reason": "Betwisting van 3/11 gegrond na betaling"})
    assert response.status_code == 302
    assert PayoutCorrection.objects.get().amount == Decimal("-8.20")
    line = next(p for p in payout_preview(organiser=organiser, month=LAST_MONTH).lines)
    assert line.corrections == Decimal("-8.20") and line.total == Decimal("11.80")


def _statement(organiser, lines, camt=False):
    build = build_camt053 if camt else build_coda
    return build(account_iban=organiser.iban, holder=organiser.name, day=today(), lines=lines)


def _import(organiser, beheerder, content, name="uittreksel.cod"):
    bank_import = bank_import_create(organiser=organiser, actor=beheerder,
                                     uploaded_file=SimpleUploadedFile(name, content))
    return bank_import_process(bank_import_id=bank_import.pk)


@pytest.mark.parametrize("camt", [False, True])
def test_a_statement_with_the_batchs_debit_marks_it_executed(organiser, beheerder, paid_worker, camt):
    batch = _confirm(organiser, beheerder)
    other_debit = SampleLine(amount=Decimal("20.01"), credit=False, communication="Huur", reference="X1")
    bank_import = _import(organiser, beheerder, _statement(organiser, [other_debit], camt), "a.xml")
    batch.refresh_from_db()
    assert batch.status == PayoutBatchStatus.CONFIRMED
    debit = SampleLine(amount=batch.total, credit=False, communication=f"Betaalbatch {batch.payment_id}",
                       reference="X2")
    bank_import = _import(organiser, beheerder, _statement(organiser, [debit], camt), "b.xml")
    batch.refresh_from_db()
    assert (batch.status, batch.executed_on, batch.executed_by_import) == (
        PayoutBatchStatus.EXECUTED, today(), bank_import)
    assert AuditEntry.objects.filter(action="payout_batch.executed", object_id=str(batch.pk)).count() == 1
    _import(organiser, beheerder, _statement(organiser, [debit], camt), "c.xml")  # the same statement again
    assert AuditEntry.objects.filter(action="payout_batch.executed").count() == 1


def test_two_open_batches_of_the_same_total_are_told_apart_by_their_reference(organiser, beheerder,
                                                                              make_paid_worker):
    first, second = make_paid_worker("A"), make_paid_worker("B")
    paid_prestatie(first, day_of(add_months(LAST_MONTH, -1), 5))
    earlier = payout_preview(organiser=organiser, month=add_months(LAST_MONTH, -1))
    batch_1 = payout_batch_confirm(organiser=organiser, month=earlier.month, fingerprint=earlier.fingerprint,
                                   actor=beheerder)
    paid_prestatie(second, day_of(LAST_MONTH, 5))
    batch_2 = _confirm(organiser, beheerder)
    assert batch_1.total == batch_2.total
    debit = SampleLine(amount=batch_2.total, credit=False, communication=batch_2.message_id, reference="Y1")
    _import(organiser, beheerder, _statement(organiser, [debit]))
    batch_1.refresh_from_db()
    batch_2.refresh_from_db()
    assert (batch_1.status, batch_2.status) == (PayoutBatchStatus.CONFIRMED, PayoutBatchStatus.EXECUTED)


def test_the_admin_shows_payouts_read_only(admin_client, organiser, beheerder, paid_worker):
    batch = _confirm(organiser, beheerder)
    assert admin_client.get(f"/ontwikkelaars/admin/cheques/payoutbatch/{batch.pk}/change/").status_code == 200
    response = admin_client.post(f"/ontwikkelaars/admin/cheques/payoutbatch/{batch.pk}/change/",
                                 {"total": "1.00"})
    assert response.status_code == 403
    assert admin_client.post(f"/ontwikkelaars/admin/cheques/payoutbatch/{batch.pk}/delete/",
                             {"post": "yes"}).status_code == 403
    batch.refresh_from_db()
    assert batch.total == Decimal("20.00")
    assert PayoutLine.objects.count() == 1
