"""Rules inside one row of the assignments models."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assignments.models import Assignment
from assignments.models.placements import AssignmentSchedule


def test_an_assignment_reports_every_schedule_problem_at_once_each_at_its_field():
    assignment = Assignment(
        start_date=datetime.date(2026, 3, 10), end_date=datetime.date(2026, 3, 1), schedule=AssignmentSchedule.WEEKLY,
        weekdays=[], time_from=datetime.time(14), time_until=datetime.time(9),
    )
    with pytest.raises(ValidationError) as error:
        assignment.clean()
    codes = {field: [e.code for e in errors] for field, errors in error.value.error_dict.items()}
    assert codes == {"end_date": ["period_order"], "time_until": ["times_order"], "weekdays": ["no_weekdays"]}
