import pytest

from tests.reports import dataset


@pytest.fixture
def world(organiser, leuven, herent, other_organiser):
    return dataset.build(organiser, leuven, herent, other_organiser)
