"""The calendar feed, read back with a real iCalendar parser: RFC 5545 requires a VTIMEZONE for every TZID used,
and a text typed with Windows line breaks must not leave a carriage return inside a content line."""

import datetime

import pytest
import time_machine
from icalendar import Calendar

from assignments.ical import assignments_ical
from tests.assignments.fixtures import at, make_assignment, make_worker

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def assignment(organiser, leuven, bemiddelaar):
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2),
                                     end=D(2026, 4, 30), weekdays=(0, 2))
    help_request = assignment.request
    help_request.description = "Gras maaien achteraan.\r\nSleutel ligt bij de buren;\r\nhond, niet bijten."
    help_request.save(update_fields=["description"])
    return assignment


def _parsed(worker):
    raw = assignments_ical(worker=worker)
    return raw, Calendar.from_ical(raw)


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_every_tzid_has_its_vtimezone(assignment):
    raw, calendar = _parsed(assignment.worker)
    timezones = list(calendar.walk("VTIMEZONE"))
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Brussels"]
    assert {sub.name for sub in timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == datetime.datetime(2026, 3, 2, 9, tzinfo=start.tzinfo)
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert start.utcoffset() == datetime.timedelta(hours=1)  # winter time on 2 March
    rule = event.decoded("RRULE")
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "WE"]
    assert rule["UNTIL"] == [datetime.datetime(2026, 4, 30, 21, 59, 59, tzinfo=datetime.UTC)]


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_windows_line_breaks_do_not_leave_a_carriage_return_inside_a_line(assignment):
    raw, calendar = _parsed(assignment.worker)
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")
    assert not any(b"\r" in line or b"\n" in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    (event,) = calendar.walk("VEVENT")
    assert str(event["DESCRIPTION"]) == "Gras maaien achteraan.\nSleutel ligt bij de buren;\nhond, niet bijten."


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_an_ended_assignment_is_not_in_the_feed(assignment, bemiddelaar):
    from assignments.services import assignment_end

    assignment_end(assignment=assignment, reason="Klus klaar", actor=bemiddelaar)
    _raw, calendar = _parsed(assignment.worker)
    assert calendar.walk("VEVENT") == []
