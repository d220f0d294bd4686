import datetime
from itertools import count

import pytest
import time_machine

from cheques.models import Cheque, ChequeKind, ChequeStatus
from cheques.services.expiry import cheques_expire, cheques_remind_expiry
from cheques.tasks import expire_cheques
from tests.assignments.factories import client_with_login
from wijkwerken.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db

_serial = count(1)


def cheques(client, number, expires_on, status=ChequeStatus.AVAILABLE):
    return [Cheque.objects.create(organiser=client.organiser, client=client, serial=f"EXP-{next(_serial)}",
                                  kind=ChequeKind.PAPER, value="7.45", issued_on=datetime.date(2025, 1, 2),
                                  expires_on=expires_on, status=status) for _n in range(number)]


@pytest.fixture
def client_and_login(leuven):
    return client_with_login(leuven, status="actief", agreement_signed_on="2025-01-02")


def test_cheques_expire_the_day_after_their_last_valid_day(client_and_login):
    client, user = client_and_login
    last_day = datetime.date(2026, 2, 28)
    cheques(client, 3, last_day)
    assert cheques_expire(on=last_day) == 0  # still valid on its last day
    assert cheques_expire(on=datetime.date(2026, 3, 1)) == 3
    assert set(Cheque.objects.values_list("status", flat=True)) == {ChequeStatus.EXPIRED}
    assert cheques_expire(on=datetime.date(2026, 3, 1)) == 0  # twice changes nothing
    entry = AuditEntry.objects.get(action="cheques.expired")
    assert entry.object_id == str(client.pk) and entry.changes["count"] == 3
    assert entry.changes["valid_until"] == "2026-02-28"
    note = Notification.objects.get(recipient=user)
    assert "3 wijk-werkcheques" in note.text and "vervallen" in note.text


def test_only_available_cheques_expire(client_and_login):
    client, _user = client_and_login
    past = datetime.date(2026, 1, 31)
    cheques(client, 1, past, status=ChequeStatus.REFUNDED)
    fresh = cheques(client, 2, datetime.date(2026, 12, 31))
    assert cheques_expire(on=datetime.date(2026, 6, 1)) == 0
    assert Cheque.objects.get(status=ChequeStatus.REFUNDED)
    assert all(c.status == ChequeStatus.AVAILABLE for c in Cheque.objects.filter(pk__in=[c.pk for c in fresh]))


def test_one_reminder_per_expiry_date_a_month_before(client_and_login, leuven):
    client, user = client_and_login
    other, other_user = client_with_login(leuven, status="actief", agreement_signed_on="2025-01-02")
    cheques(client, 2, datetime.date(2026, 4, 30))
    cheques(client, 1, datetime.date(2026, 5, 15))
    cheques(other, 1, datetime.date(2026, 9, 30))  # far away: no reminder yet
    assert cheques_remind_expiry(on=datetime.date(2026, 3, 30)) == 0  # 31 days before
    assert cheques_remind_expiry(on=datetime.date(2026, 3, 31)) == 1
    assert cheques_remind_expiry(on=datetime.date(2026, 4, 1)) == 0  # never twice for the same date
    assert cheques_remind_expiry(on=datetime.date(2026, 4, 15)) == 1  # the 15 May cheque
    texts = list(Notification.objects.filter(recipient=user).order_by("pk").values_list("text", flat=True))
    assert "2 wijk-werkcheques" in texts[0] and "30/04/2026" in texts[0]
    assert "1 wijk-werkcheque " in texts[1] and "15/05/2026" in texts[1]
    assert not Notification.objects.filter(recipient=other_user).exists()


def test_the_daily_task_reminds_and_expires_across_the_new_year(client_and_login):
    client, _user = client_and_login
    cheques(client, 1, datetime.date(2026, 12, 31))
    cheques(client, 1, datetime.date(2027, 1, 20))
    with time_machine.travel(datetime.datetime(2027, 1, 1, 1, 0, tzinfo=datetime.UTC), tick=False):
        assert expire_cheques() == {"reminded": 1, "expired": 1}
        assert expire_cheques() == {"reminded": 0, "expired": 0}
    assert Cheque.objects.filter(status=ChequeStatus.AVAILABLE).count() == 1


def test_an_expired_cheque_shows_in_the_wallet_history(client, client_and_login):
    owner, user = client_and_login
    cheques(owner, 2, datetime.date(2026, 1, 31))
    cheques_expire(on=datetime.date(2026, 2, 1))
    client.force_login(user)
    page = client.get("/cheques/mijn/").content.decode()
    assert "vervallen" in page
