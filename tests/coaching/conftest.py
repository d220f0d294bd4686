import pytest

from tests.coaching.factories import coached_worker
from wijkwerken.accounts.models import Role


@pytest.fixture
def coach(werkcoach):
    return werkcoach


@pytest.fixture
def other_coach(make_user):
    return make_user(Role.WERKCOACH)


@pytest.fixture
def worker(organiser, leuven, bemiddelaar, coach):
    """A worker with a login, in a trajectory for 60 days, in `coach`'s caseload."""
    return coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=coach)
