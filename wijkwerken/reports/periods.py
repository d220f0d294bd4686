"""Report periods: dates inclusive, compared with the same dates one year (or as many years as the period spans)
earlier, so a month is compared with the same month of the year before (garden work has seasons)."""

import datetime
import math
from dataclasses import dataclass

from django.utils import timezone

from wijkwerken.core.dates import add_months

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period ends on or after its start.")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def years_spanned(self) -> int:
        """Whole years the period covers, at least one (a calendar year is one, 1 July – 30 June is one)."""
        return max(1, math.ceil(((self.end - self.start).days + 1) / 366))

    def previous(self) -> "Period":
        """The same dates one year earlier (29 February becomes 28 February); a period of more than a year
        moves back by the years it spans."""
        months = -12 * self.years_spanned
        return Period(add_months(self.start, months), add_months(self.end, months))

    @property
    def is_whole_year(self) -> bool:
        return (self.start.year == self.end.year and (self.start.month, self.start.day) == (1, 1)
                and (self.end.month, self.end.day) == (12, 31))

    @property
    def label(self) -> str:
        if self.is_whole_year:
            return str(self.start.year)
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def months(self) -> list[datetime.date]:
        """The first day of every calendar month the period touches."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end) as aware moments in the local zone: from midnight of the first day to midnight after the
        last, whatever the day's length (the DST switches have days of 23 and 25 hours)."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(self.end + DAY, datetime.time.min, tzinfo=zone)
        return start, end
