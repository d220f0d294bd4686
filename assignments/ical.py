"""iCalendar (RFC 5545) export of a worker's assignments, for any calendar app, written by the `icalendar`
library: times carry the Europe/Brussels TZID with its VTIMEZONE block, and texts are escaped and folded."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from .models import AssignmentSchedule, AssignmentStatus

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _one_line(text) -> str:
    """Line breaks typed on any system (\\r\\n, \\r, \\n) become plain newlines, which icalendar escapes."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n")


def _at(day: datetime.date, time: datetime.time | None, default: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time or default, tzinfo=BRUSSELS)


def assignments_ical(*, worker) -> bytes:
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "wijkwerken"
    calendar = Calendar()
    calendar.add("prodid", "-//wijkwerken//opdrachten//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Wijk-werken {worker.first_name}")
    calendar.add("x-wr-timezone", "Europe/Brussels")
    stamp = timezone.now()
    assignments = (worker.assignments.exclude(status=AssignmentStatus.ENDED)
                   .select_related("client", "activity", "request").order_by("start_date", "pk"))
    for assignment in assignments:
        help_request = assignment.request
        event = Event()
        event.add("uid", f"assignment-{assignment.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", _at(assignment.start_date, assignment.time_from, datetime.time(9)))
        event.add("dtend", _at(assignment.start_date, assignment.time_until, datetime.time(12)))
        event.add("summary", _one_line(f"{assignment.activity} – {assignment.client}"))
        event.add("location", _one_line(f"{help_request.street}, {help_request.postcode} {help_request.city}"))
        event.add("description", _one_line(help_request.description))
        if assignment.schedule == AssignmentSchedule.WEEKLY and assignment.weekdays:
            # With a TZID start, UNTIL must be in UTC (RFC 5545 §3.3.10).
            last_moment = datetime.datetime.combine(assignment.end_date, datetime.time(23, 59, 59), tzinfo=BRUSSELS)
            event.add("rrule", vRecur(freq="WEEKLY", byday=[ICAL_DAYS[d] for d in sorted(assignment.weekdays)],
                                      until=last_moment.astimezone(datetime.UTC)))
        if assignment.status == AssignmentStatus.PAUSED:
            event.add("status", "TENTATIVE")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
