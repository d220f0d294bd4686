"""`full_clean()` checks all of a model's check constraints in one query (wijkwerken/core/constraints.py) and says
exactly what Django's own validation says: the same constraints, messages, codes and keys."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import Prestatie
from tests.assignments.fixtures import make_assignment, make_worker
from tests.assignments.test_hours_month import hours
from wijkwerken.core.constraints import DJANGO_VALIDATE_CONSTRAINTS
from wijkwerken.core.models import RuleSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def prestatie(organiser, leuven, bemiddelaar):
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=datetime.date(2026, 1, 5))
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=datetime.date(2026, 1, 5),
                                 end=datetime.date(2026, 6, 30))
    return hours(assignment, datetime.date(2026, 1, 6), minutes=90)


def _errors(validate, instance, exclude=None):
    try:
        validate(instance, exclude=exclude)
    except ValidationError as error:
        return {key: sorted((e.message % (e.params or {}), e.code) for e in errors)
                for key, errors in error.error_dict.items()}
    return {}


def test_a_valid_prestatie_passes_in_one_query_instead_of_one_per_constraint(prestatie):
    with CaptureQueriesContext(connection) as ours:
        prestatie.validate_constraints()
    with CaptureQueriesContext(connection) as djangos:
        DJANGO_VALIDATE_CONSTRAINTS(prestatie)
    checks = [q for q in ours.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(checks) == 1
    assert len(djangos.captured_queries) >= 3 * 5  # a savepoint, the query and its release, per constraint


@pytest.mark.parametrize("broken", [
    {},
    {"end_time": datetime.time(8)},
    {"minutes": 0, "cheques": 0},
    {"kilometres": Decimal("-1"), "status": "betwist", "dispute_reason": ""},
    {"end_time": datetime.time(8), "minutes": 2000, "cheques": 0, "kilometres": Decimal("5000"),
     "status": "betwist", "dispute_reason": ""},
])
def test_the_same_constraints_fail_as_with_django(prestatie, broken):
    for field, value in broken.items():
        setattr(prestatie, field, value)
    ours = _errors(Prestatie.validate_constraints, prestatie)
    assert ours == _errors(DJANGO_VALIDATE_CONSTRAINTS, prestatie)
    assert bool(ours) == bool(broken)
    # A constraint on an excluded field is not checked, as in Django.
    excluded = {"end_time", "kilometres", "status"}
    assert (_errors(Prestatie.validate_constraints, prestatie, exclude=excluded)
            == _errors(DJANGO_VALIDATE_CONSTRAINTS, prestatie, exclude=excluded))


def test_unique_and_check_constraints_together_report_as_django(organiser):
    existing = RuleSet.objects.get(organiser=organiser)
    twin = RuleSet(organiser=organiser, valid_from=existing.valid_from, max_hours_per_month=0)
    ours = _errors(RuleSet.validate_constraints, twin)
    assert ours and ours == _errors(DJANGO_VALIDATE_CONSTRAINTS, twin)
