import datetime

import pytest
import time_machine

from tests.workers.factories import WorkerFactory, national_number
from workers import services


@pytest.fixture
def worker_data(leuven, bemiddelaar):
    """What the registration form sends for a new worker in Leuven."""
    return {
        "first_name": "Sara",
        "last_name": "Peeters",
        "national_number": national_number(7),
        "email": "sara@example.test",
        "phone": "0470 12 34 56",
        "street": "Tiensestraat 10",
        "postcode": "3000",
        "city": "Leuven",
        "referral": "ocmw",
        "referrer_name": "Jan OCMW",
        "referral_date": datetime.date(2026, 1, 5),
        "consent_signed_on": datetime.date(2026, 1, 5),
        "languages": ["nl", "fr"],
        "mobility": ["bike"],
        "max_distance_km": 8,
        "certificates": ["first_aid"],
        "iban": "BE71096123456769",
        "ex_pwa": False,
        "notes": "",
        "bemiddelaar": bemiddelaar,
        "coach": None,
    }


@pytest.fixture
def worker(organiser, leuven, bemiddelaar):
    return WorkerFactory(organiser=organiser, municipality=leuven, bemiddelaar=bemiddelaar)


@pytest.fixture
def start(bemiddelaar):
    """Start a trajectory as it is entered on its first day (one entered later with an end date already past
    ends as it is written)."""
    def start_trajectory(worker, day):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False):
            return services.trajectory_start(worker=worker, start_date=day, actor=bemiddelaar)

    return start_trajectory
