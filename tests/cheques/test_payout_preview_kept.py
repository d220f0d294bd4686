"""A payout preview kept while what it reads stays the same: the database renews the organiser's token when a
transaction that changed a prestatie, a wijk-werker's name or IBAN, a payout item or correction, or a rule set
commits (migration cheques 0019), and the application computes the preview again when the token is new. These
tests commit (transactional), as the pages do."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from stdnum import iban as stdnum_iban

from assignments.models import Prestatie
from cheques.models import PayoutBatch, PayoutInputs
from cheques.services import payouts
from cheques.services.payouts import payout_batch_confirm, payout_correction_create, payout_preview
from tests.cheques.factories import LAST_MONTH, day_of, paid_prestatie, worker_iban
from wijkwerken.core.dates import today
from wijkwerken.core.models import RuleSet

pytestmark = pytest.mark.django_db(transaction=True)

MONTH = f"{LAST_MONTH:%Y-%m}"
PREVIEW = f"/cheques/uitbetalingen/voorbeeld/?maand={MONTH}"


@pytest.fixture(autouse=True)
def nothing_kept():
    payouts.forget_previews()
    yield
    payouts.forget_previews()


@pytest.fixture
def paid_worker(make_paid_worker):
    assignment = make_paid_worker("Ahmed", last_name="Haddad")
    paid_prestatie(assignment, day_of(LAST_MONTH, 3), minutes=150, kilometres="24")
    return assignment


def token(organiser):
    return PayoutInputs.objects.filter(organiser=organiser).values_list("token", flat=True).first()


def _worker(assignment, **changes):
    worker = assignment.worker
    for name, value in changes.items():
        setattr(worker, name, value)
    worker.save(update_fields=list(changes))


CHANGES = {
    "the kilometres of a prestatie": lambda o, a, b: Prestatie.objects.filter(worker=a.worker).update(
        kilometres=Decimal("30")),
    "a worker's name": lambda o, a, b: _worker(a, last_name="Haddad-Benali"),
    "a worker's IBAN": lambda o, a, b: _worker(a, iban=worker_iban(77)),
    "a payout correction": lambda o, a, b: payout_correction_create(
        organiser=o, worker=a.worker, amount=Decimal("5"), reason="Vergeten verplaatsing", actor=b),
    "the rule set": lambda o, a, b: RuleSet.objects.filter(organiser=o).update(note="Nieuwe vergoeding"),
    "a payout (its items)": lambda o, a, b: payout_batch_confirm(
        organiser=o, month=LAST_MONTH, fingerprint=payout_preview(organiser=o, month=LAST_MONTH).fingerprint,
        actor=b),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_a_preview_reads_renews_the_token(organiser, beheerder, paid_worker, change):
    before = token(organiser)
    assert before is not None
    CHANGES[change](organiser, paid_worker, beheerder)
    assert token(organiser) != before


def test_a_change_no_preview_reads_or_a_rolled_back_one_keeps_the_token(organiser, paid_worker):
    before = token(organiser)
    _worker(paid_worker, phone="0470 12 34 56")
    with transaction.atomic():
        _worker(paid_worker, iban=worker_iban(78))
        transaction.set_rollback(True)
    assert token(organiser) == before


def test_the_kept_preview_costs_two_queries_and_a_change_shows_at_once(organiser, paid_worker,
                                                                       django_assert_num_queries):
    first = payout_preview(organiser=organiser, month=LAST_MONTH)
    with django_assert_num_queries(2):  # the token and the payment calendar (the execution date)
        again = payout_preview(organiser=organiser, month=LAST_MONTH)
    assert again.lines is first.lines and again.fingerprint == first.fingerprint and again.total == first.total
    assert again.execution_date == first.execution_date

    _worker(paid_worker, iban=worker_iban(79))
    changed = payout_preview(organiser=organiser, month=LAST_MONTH)
    assert changed.lines[0].iban == stdnum_iban.compact(worker_iban(79))
    assert changed.fingerprint != first.fingerprint


def test_inside_a_transaction_the_preview_is_computed_with_its_own_changes(organiser, paid_worker):
    payout_preview(organiser=organiser, month=LAST_MONTH)
    with transaction.atomic():
        _worker(paid_worker, iban=worker_iban(80))  # not in the token before the commit
        preview = payout_preview(organiser=organiser, month=LAST_MONTH)
        assert preview.lines[0].iban == stdnum_iban.compact(worker_iban(80))
        transaction.set_rollback(True)
    assert payout_preview(organiser=organiser, month=LAST_MONTH).lines[0].iban != stdnum_iban.compact(
        worker_iban(80))


def test_the_page_shows_a_worker_fixed_since_at_once_and_pays_it(client, organiser, beheerder, make_paid_worker,
                                                                  django_capture_on_commit_callbacks):
    karim = make_paid_worker("Karim", last_name="Benali", iban="")
    paid_prestatie(karim, day_of(LAST_MONTH, 5), minutes=120)
    client.force_login(beheerder)
    assert "Geen IBAN" in client.get(PREVIEW).content.decode()
    assert "Geen IBAN" in client.get(PREVIEW).content.decode()  # the kept preview

    _worker(karim, iban=worker_iban(81))
    page = client.get(PREVIEW).content.decode()
    assert "Geen IBAN" not in page and "Karim Benali" in page
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cheques/uitbetalingen/bevestigen/", {
            "month": MONTH, "fingerprint": fingerprint, "execution_date": today().isoformat()})
    assert response.status_code == 302
    batch = PayoutBatch.objects.get()
    assert batch.count == 1 and batch.lines.get().iban == stdnum_iban.compact(worker_iban(81))
    after = client.get(PREVIEW)  # the payout renewed the token: nobody is left to pay
    assert after.status_code == 200 and "Karim Benali" not in after.content.decode()


def test_a_refused_confirmation_forgets_the_kept_previews(organiser, beheerder, paid_worker):
    payout_preview(organiser=organiser, month=LAST_MONTH)
    assert any(key[0] == organiser.pk for key in payouts._kept)
    with pytest.raises(ValidationError, match="Sinds de voorvertoning is gewijzigd"):
        payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint="0" * 64 + ":" + "0" * 64,
                             actor=beheerder)
    assert not any(key[0] == organiser.pk for key in payouts._kept)
    assert not PayoutBatch.objects.exists()
