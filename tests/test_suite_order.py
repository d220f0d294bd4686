"""The parallel suite keeps its groups: `make test` runs with `--dist loadgroup`, and a test marked
`xdist_group` reaches the scheduler with its group in its id. pytest 9 renamed what pytest-xdist 3.8 writes the
group into, and every group was silently ignored: the database-role tests, which share roles across the whole
cluster, ran on both workers at once, and the every-form module seeded the demo once per worker."""

import pytest
from django.contrib.contenttypes.models import ContentType

from wijkwerken.core.models import Municipality, PostalCode

pytestmark = pytest.mark.xdist_group("suite_order")


def test_xdist_groups_reach_the_scheduler(request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("runs only in the parallel suite (--dist loadgroup)")
    assert request.node.nodeid.endswith("@suite_order")
    assert request.config.option.loadscopereorder is False  # the order of tests/conftest.py holds


# A transactional test ends by emptying the database; the rows the migrations made come back before the next test
# (tests/conftest.py), whatever kind of test comes next (here another transactional one: pytest-django puts those
# after the others). The group keeps these two on one worker, in this order.

@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_empties_the_database_at_its_end():
    assert Municipality.objects.filter(nis_code="24062").exists()  # Leuven, from the migrations


@pytest.mark.django_db(transaction=True)  # transactional too, so that pytest-django keeps it after the first
def test_the_next_test_finds_the_migrations_rows_again():
    assert Municipality.objects.count() > 250 and Municipality.objects.filter(nis_code="24062").exists()
    assert PostalCode.objects.filter(code="3000").exists()
    assert ContentType.objects.get_for_model(Municipality).model_class() is Municipality
