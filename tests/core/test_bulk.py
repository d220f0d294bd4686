import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from cheques.models import BankImport, BankLine, LineStatus
from tests.assignments.factories import ClientFactory
from wijkwerken.core.audit import audit_log_many, audit_log_objects
from wijkwerken.core.bulk import bulk_insert
from wijkwerken.core.models import AuditEntry, Organiser

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_import(organiser):
    return BankImport.objects.create(organiser=organiser, original_name="x.cod", file_format="coda")


def _line(bank_import, n, **extra):
    return {"organiser_id": bank_import.organiser_id, "bank_import_id": bank_import.pk, "checksum": f"c{n}",
            "booking_date": datetime.date(2026, 2, 28), "amount": Decimal("12.35"), **extra}


def test_bulk_insert_returns_the_ids_in_row_order_and_fills_the_defaults(bank_import, leuven):
    client = ClientFactory(organiser=bank_import.organiser, municipality=leuven)
    rows = [_line(bank_import, n) for n in range(3)]
    rows[1].update(status=LineStatus.MATCHED, client_id=client.pk, communication="tab\there\nnew line \\ é")
    ids = bulk_insert(BankLine, rows, with_ids=True)
    lines = {line.pk: line for line in BankLine.objects.filter(pk__in=ids)}
    assert [lines[pk].checksum for pk in ids] == ["c0", "c1", "c2"]
    second = lines[ids[1]]
    assert second.status == "gekoppeld" and second.client == client  # a choices member is stored as its value
    assert second.communication == "tab\there\nnew line \\ é"  # COPY escaping round-trips
    assert lines[ids[0]].status == LineStatus.UNMATCHED and lines[ids[0]].payer_name == ""
    assert lines[ids[0]].amount == Decimal("12.35") and lines[ids[0]].created_at is not None
    # The sequence moved on: a normal insert afterwards gets a fresh id.
    later = BankLine.objects.create(**_line(bank_import, 9))
    assert later.pk > max(ids)


def test_bulk_insert_of_nothing_writes_nothing(bank_import):
    assert bulk_insert(BankLine, [], with_ids=True) == []
    assert bulk_insert(BankLine, []) == 0
    assert not BankLine.objects.exists()


def test_bulk_insert_respects_the_constraints(bank_import):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(BankLine, [_line(bank_import, 1), _line(bank_import, 1)])  # the same checksum twice
    assert not BankLine.objects.exists()


def test_audit_entries_in_bulk_keep_json_changes(organiser, bemiddelaar):
    audit_log_objects([(bemiddelaar, "test.one", "Eerste", organiser, {"amount": Decimal("1.50"), "ids": [1, 2]})])
    audit_log_many(actor=None, action="test.many", model=Organiser, rows=[(organiser.pk, organiser.pk, "Twee", {})])
    one = AuditEntry.objects.get(action="test.one")
    assert one.changes == {"amount": "1.50", "ids": [1, 2]}
    assert one.actor == bemiddelaar and one.content_type == ContentType.objects.get_for_model(Organiser)
    assert one.object_id == str(organiser.pk) and one.organiser == organiser
    assert AuditEntry.objects.get(action="test.many").actor is None


def test_any_lookup_matches_in(organiser, other_organiser, bank_import):
    ids = bulk_insert(BankLine, [_line(bank_import, n) for n in range(4)], with_ids=True)
    wanted = [ids[0], ids[2], 10**9]
    assert set(BankLine.objects.filter(pk__any=wanted).values_list("pk", flat=True)) == {ids[0], ids[2]}
    assert set(BankLine.objects.filter(checksum__any=["c1", "c3", "zz"]).values_list("pk", flat=True)) == {
        ids[1], ids[3]}
    assert BankLine.objects.filter(bank_import__any=[bank_import.pk]).count() == 4  # a foreign key
    assert BankLine.objects.filter(organiser_id__any=[other_organiser.pk]).count() == 0
    assert BankLine.objects.filter(pk__any=[]).count() == 0
    assert BankLine.objects.filter(pk__any=BankLine.objects.filter(checksum="c1").values("pk")).count() == 1
