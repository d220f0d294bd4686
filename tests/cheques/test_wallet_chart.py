"""The wallet over time: the usable cheques at the end of each month, drawn by the one chart helper."""

import datetime

import pytest
import time_machine

from cheques.charts import wallet_chart
from cheques.models import Cheque, ChequeKind, ChequeStatus
from cheques.selectors import wallet_over_time
from tests.assignments.factories import client_with_login

pytestmark = pytest.mark.django_db

D = datetime.date


def _cheque(client, serial, *, issued_on, status=ChequeStatus.AVAILABLE):
    return Cheque.objects.create(organiser=client.organiser, client=client, serial=serial, kind=ChequeKind.PAPER,
                                 issued_on=issued_on,
                                 expires_on=issued_on.replace(year=issued_on.year + 1), status=status, value="7.45")


def test_the_wallet_at_each_month_end(leuven):
    client, _user = client_with_login(leuven)
    _cheque(client, "A1", issued_on=D(2026, 1, 10))
    _cheque(client, "A2", issued_on=D(2025, 2, 10), status=ChequeStatus.EXPIRED)  # valid until 10/02/2026
    _cheque(client, "A3", issued_on=D(2026, 3, 1))
    points = wallet_over_time(client, on=D(2026, 3, 11), months=4)
    assert points == [(D(2025, 12, 31), 1), (D(2026, 1, 31), 2), (D(2026, 2, 28), 1), (D(2026, 3, 11), 2)]


@time_machine.travel(datetime.datetime(2026, 3, 11, 10, tzinfo=datetime.UTC), tick=False)
def test_the_wallet_page_shows_the_chart_with_its_numbers(client, leuven):
    wallet_client, user = client_with_login(leuven)
    _cheque(wallet_client, "B1", issued_on=D(2026, 1, 10))
    chart = wallet_chart(wallet_client, on=D(2026, 3, 11))
    assert str(chart.svg).count("<polyline") == 1
    client.force_login(user)
    page = client.get("/cheques/mijn/").content.decode()
    assert "Cheques in uw portefeuille het voorbije jaar" in page
    assert '<th scope="row">mrt 2026</th><td>1</td>' in page
