import pytest

from tests.assignments.factories import seed_activity_list
from tests.conftest import BERTEM
from tests.core.factories import municipality_for


@pytest.fixture
def activity_list(organiser):
    return seed_activity_list(organiser)


@pytest.fixture
def bertem(organiser):
    return municipality_for(organiser, BERTEM)
