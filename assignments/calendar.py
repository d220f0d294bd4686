"""iCalendar (RFC 5545) export of a worker's assignments, for any calendar app."""

import datetime

from django.conf import settings
from django.utils import timezone

from .work_models import AssignmentSchedule, AssignmentStatus

ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _escape(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _local(day: datetime.date, time: datetime.time | None, default: datetime.time) -> str:
    return datetime.datetime.combine(day, time or default).strftime("%Y%m%dT%H%M%S")


def assignments_ical(*, worker) -> str:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "wijkwerken"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//wijkwerken//opdrachten//NL", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(f'Wijk-werken {worker.first_name}')}", "X-WR-TIMEZONE:Europe/Brussels"]
    assignments = (worker.assignments.exclude(status=AssignmentStatus.ENDED)
                   .select_related("client", "activity", "request"))
    for assignment in assignments:
        request = assignment.request
        lines += [
            "BEGIN:VEVENT",
            f"UID:assignment-{assignment.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID=Europe/Brussels:{_local(assignment.start_date, assignment.time_from, datetime.time(9))}",
            f"DTEND;TZID=Europe/Brussels:{_local(assignment.start_date, assignment.time_until, datetime.time(12))}",
            f"SUMMARY:{_escape(f'{assignment.activity} – {assignment.client}')}",
            f"LOCATION:{_escape(f'{request.street}, {request.postcode} {request.city}')}",
            f"DESCRIPTION:{_escape(request.description)}",
        ]
        if assignment.schedule == AssignmentSchedule.WEEKLY and assignment.weekdays:
            days = ",".join(ICAL_DAYS[d] for d in sorted(assignment.weekdays))
            # With a TZID start, UNTIL must be in UTC (RFC 5545 §3.3.10).
            last_moment = timezone.make_aware(datetime.datetime.combine(assignment.end_date, datetime.time(23, 59, 59)))
            until = last_moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            lines.append(f"RRULE:FREQ=WEEKLY;BYDAY={days};UNTIL={until}")
        if assignment.status == AssignmentStatus.PAUSED:
            lines.append("STATUS:TENTATIVE")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
