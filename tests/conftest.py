import os

import pytest
from django.core.cache import cache
from pytest_django.plugin import blocking_manager_key

from tests.accounts.factories import UserFactory
from tests.core.factories import OrganiserFactory, RuleSetFactory, municipality_for
from tests.rows import copy_back, copy_out
from wijkwerken.accounts.models import Role

# Browser tests mix the ORM and a live page in one process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LEUVEN, HERENT, BERTEM, GENT = "24062", "24038", "24009", "44021"


# --- the rows the migrations made, back after each transactional test ---------------------------------------------
# A test on a transactional database (a browser test with a live server, a lock test) ends by emptying every table,
# as Django's TransactionTestCase does. That takes the rows the migrations made (the Flemish municipalities and
# postcodes; content types and permissions come back with other ids) from the tests that come after it on the same
# worker. They are copied once, after the migrations, and copied back after each such test, so that a transactional
# test may come before the others (the halves of the crawl come first, see below).

_MIGRATED_ROWS: dict[str, bytes] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _MIGRATED_ROWS.update(copy_out())
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # the test's fixtures are gone: a transactional test's database has been emptied
    # After the last test the test database is gone too (nextitem None): nothing comes after it.
    if _MIGRATED_ROWS and nextitem is not None and _transactional(item):
        with item.config.stash[blocking_manager_key].unblock():
            copy_back(_MIGRATED_ROWS)


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


# The longest tests first. pytest-xdist hands tests to its workers in collection order as they become free, so a
# long test collected near the end keeps one worker busy long after the other has run out of tests; started first,
# the short tests fill in around them. Measured with `pytest --durations=100` (each about a minute or more). The two
# halves of the crawl (about five minutes each) are the first two tests, so that each worker starts with one: a
# worker is handed its next test before the one it runs ends, and two halves one after the other went to one worker
# (twenty minutes in all). The generator's two-process test comes before them: it forks processes that open their
# own connections, before the worker starts Playwright (once, after it, a child's queries met another's answers).
LONGEST_FIRST = (
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
    # whatever the order below (the demo group, with the every-form tests, before the halves of the crawl).
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items):
    def rank(item):
        return next((n for n, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)),
                    len(LONGEST_FIRST))

    # Stable: within a rank, pytest-django's order (the transactional tests after the others, as Django's runner
    # orders them). Putting them anywhere made a later test meet what an earlier one left in the process (a Celery
    # worker's flag; tests/core/test_celery.py now clears it): the order that has run green is kept.
    items.sort(key=rank)
