"""Rules inside one row of the assignments models."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assignments.models import Activity, Assignment
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


def test_the_seeded_lists_english_source_notes_show_in_dutch_and_a_typed_source_as_typed():
    seeded = Activity(source="examples published by wijk-werkorganisaties and press (not the official wording)")
    typed = Activity(source="Gemeenteraad Leuven, 12/03/2026")
    with translation.override("nl"):
        assert str(seeded.source_display) == ("Voorbeelden van wijk-werkorganisaties en uit de pers "
                                              "(niet de officiële tekst)")
        assert typed.source_display == "Gemeenteraad Leuven, 12/03/2026"
