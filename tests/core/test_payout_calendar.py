"""The payment calendar on the rules page, and the advance of waiting hours as a rule."""

import datetime

import pytest
import time_machine

from tests.assignments.fixtures import at
from wijkwerken.core.models import AuditEntry, PayoutDate, RuleSet
from wijkwerken.core.rules import next_payout_date, payout_date_for, rule_set_on

pytestmark = pytest.mark.django_db

D = datetime.date


@time_machine.travel(at(2026, 12, 6), tick=False)
def test_the_beheerder_publishes_a_year_and_moves_one_date(client, organiser, beheerder):
    client.force_login(beheerder)
    response = client.post("/regels/uitbetalingskalender/", {"year": "2027", "working_day": "5"})
    assert response.status_code == 302
    dates = dict(PayoutDate.objects.filter(organiser=organiser).values_list("month", "pays_on"))
    assert len(dates) == 12
    assert dates[D(2027, 1, 1)] == D(2027, 2, 5)  # the 5th working day of February 2027
    assert dates[D(2027, 4, 1)] == D(2027, 5, 10)  # 1 May and the weekend do not count
    assert dates[D(2027, 12, 1)] == D(2028, 1, 7)  # nor New Year's Day
    response = client.post("/regels/uitbetalingsdatum/", {"month": "2027-04", "pays_on": "2027-05-12"})
    assert response.status_code == 302
    assert payout_date_for(organiser=organiser, month=D(2027, 4, 1)) == D(2027, 5, 12)
    assert AuditEntry.objects.filter(action="payout_date.set").count() == 1
    page = client.get("/regels/").content.decode()
    assert "Betaalkalender" in page and "12/05/2027" in page
    assert next_payout_date(organiser=organiser).pays_on == D(2027, 2, 5)


@time_machine.travel(at(2026, 12, 6), tick=False)
@pytest.mark.parametrize(("url", "data", "message"), [
    ("/regels/uitbetalingsdatum/", {"month": "2026-11", "pays_on": "2026-12-01"},
     "Een betaaldatum in het verleden kan niet ingesteld worden"),
    ("/regels/uitbetalingsdatum/", {"month": "2027-03", "pays_on": "2027-02-10"},
     "Het werk van een maand wordt betaald nadat de maand begonnen is"),
    ("/regels/uitbetalingsdatum/", {"month": "2027-01", "pays_on": "2027-06-10"},
     "binnen drie maanden na de maand waarin ze werkten"),
    ("/regels/uitbetalingsdatum/", {"month": "januari", "pays_on": "2027-02-10"}, "Kies een maand."),
    ("/regels/uitbetalingsdatum/", {"month": "2027-01", "pays_on": ""}, "Vul de betaaldatum in."),
    ("/regels/uitbetalingskalender/", {"year": "2027", "working_day": "0"}, "Kies een werkdag tussen 1 en 20."),
    ("/regels/uitbetalingskalender/", {"year": "2027", "working_day": "25"}, "Kies een werkdag tussen 1 en 20."),
    ("/regels/uitbetalingskalender/", {"year": "2025", "working_day": "5"}, "Elke betaaldatum van 2025 is al voorbij."),
    ("/regels/uitbetalingskalender/", {"year": "tweeduizend", "working_day": "5"}, "Vul een jaar in."),
])
def test_bad_dates_are_refused_in_dutch_and_nothing_changes(client, beheerder, url, data, message):
    client.force_login(beheerder)
    response = client.post(url, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not PayoutDate.objects.exists()


def test_only_the_beheerder_maintains_the_calendar(client, bemiddelaar):
    client.force_login(bemiddelaar)
    assert client.post("/regels/uitbetalingskalender/", {"year": "2027", "working_day": "5"}).status_code == 403
    page = client.get("/regels/").content.decode()
    assert "Betaalkalender" in page and "De kalender publiceren" not in page


@time_machine.travel(at(2026, 12, 6), tick=False)
def test_advancing_waiting_hours_is_a_rule_with_a_date(client, organiser, beheerder):
    assert rule_set_on(organiser=organiser, on=D(2026, 12, 6)).advance_waiting_hours is False
    client.force_login(beheerder)
    from wijkwerken.core.forms import RuleSetForm
    form = RuleSetForm(organiser=organiser)
    data = {name: form.initial[name] for name in RuleSet.RULE_FIELDS if name != "advance_waiting_hours"}
    data.update(valid_from="2027-01-01", note="We schieten voor", advance_waiting_hours="on")
    assert client.post("/regels/nieuw/", data).status_code == 302
    assert rule_set_on(organiser=organiser, on=D(2027, 1, 1)).advance_waiting_hours is True
    assert rule_set_on(organiser=organiser, on=D(2026, 12, 31)).advance_waiting_hours is False
    page = client.get("/regels/").content.decode()
    assert "voorschieten" in page
