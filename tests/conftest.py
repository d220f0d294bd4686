import os

import pytest
from django.core.cache import cache

from tests.accounts.factories import UserFactory
from tests.core.factories import OrganiserFactory, RuleSetFactory, municipality_for
from wijkwerken.accounts.models import Role

# Browser tests mix the ORM and a live page in one process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LEUVEN, HERENT, BERTEM, GENT = "24062", "24038", "24009", "44021"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield


@pytest.fixture
def organiser(db):
    organiser = OrganiserFactory(name="Wijk-werken Dijleland")
    RuleSetFactory(organiser=organiser)
    return organiser


@pytest.fixture
def leuven(organiser):
    return municipality_for(organiser, LEUVEN)


@pytest.fixture
def herent(organiser):
    return municipality_for(organiser, HERENT)


@pytest.fixture
def other_organiser(db):
    other = OrganiserFactory(name="Wijk-werken Gent")
    RuleSetFactory(organiser=other)
    municipality_for(other, GENT)
    return other


@pytest.fixture
def make_user(organiser):
    def make(role=Role.BEMIDDELAAR, **kwargs):
        kwargs.setdefault("organiser", organiser)
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def beheerder(make_user):
    return make_user(Role.BEHEERDER)


@pytest.fixture
def bemiddelaar(make_user):
    return make_user(Role.BEMIDDELAAR)


@pytest.fixture
def werkcoach(make_user):
    return make_user(Role.WERKCOACH)


@pytest.fixture
def gemeente_user(make_user, leuven):
    return make_user(Role.GEMEENTE, municipality=leuven)


# The longest modules first. pytest-xdist hands tests to its workers in collection order as they become free, so a
# long test collected near the end keeps one worker busy long after the other has run out of tests; started first,
# the short tests fill in around it. Measured with `pytest --durations=100` (each about a minute or more).
# Tests on a transactional database (browser tests with a live server, lock tests) still come after all others, as
# Django's own runner orders them: they end by emptying the database, which takes away the rows the migrations
# made (the Flemish municipalities) from the tests that would come after them on the same worker.
LONGEST_FIRST = (
    # The generator forks processes that open their own connections: it runs before the browser tests start
    # Playwright in the same worker (once, after them, a child's queries met another process's answers).
    "tests/benchmarks/test_flanders.py::test_two_processes",
    "tests/e2e/test_crawl.py",
    "tests/test_every_form.py",
    "tests/benchmarks/test_pages.py",
    "tests/cheques/test_demo.py",
    "tests/reports/test_demo.py",
    "tests/coaching/test_demo.py",
    "tests/privacy/test_access_export.py",
    "tests/cheques/test_money_overview.py",
    "tests/e2e/",
)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    flagged = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(flagged) or "transactional_db" in item.fixturenames or "live_server" in item.fixturenames


def pytest_configure(config):
    # pytest-xdist would otherwise hand out its groups of several tests (`xdist_group`) before all single tests,
    # whatever the order below: a group of transactional tests first would empty the database under the others.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items):
    def rank(item):
        return next((n for n, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)),
                    len(LONGEST_FIRST))

    items.sort(key=lambda item: (_transactional(item), rank(item)))  # stable: within a rank, the usual order
