"""Two registrations at the same moment get different gebruikersnummers (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection

from assignments.models import Client
from assignments.services import client_register
from tests.assignments.factories import valid_national_number

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_registrations_get_distinct_numbers(organiser, herent, bemiddelaar):
    barrier = threading.Barrier(4)
    errors = []

    def register(n):
        try:
            barrier.wait()
            client_register(category="particulier", first_name="P", last_name=f"Parallel{n}",
                            national_number=valid_national_number(500 + n), street="Kerkstraat 1",
                            postcode="3020", city="Herent", organiser=organiser, actor=bemiddelaar)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads) and errors == []
    numbers = list(Client.objects.values_list("number", flat=True))
    assert len(numbers) == 4 and len(set(numbers)) == 4
