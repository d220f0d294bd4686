"""Helpers shared by the workers services."""

import datetime

from wijkwerken.core.errors import service_error as error  # noqa: F401 (the workers services import it from here)

ONE_DAY = datetime.timedelta(days=1)


def fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")
