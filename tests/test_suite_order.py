"""The parallel suite keeps its groups: `make test` runs with `--dist loadgroup`, and a test marked
`xdist_group` reaches the scheduler with its group in its id. pytest 9 renamed what pytest-xdist 3.8 writes the
group into, and every group was silently ignored: the database-role tests, which share roles across the whole
cluster, ran on both workers at once, and the every-form module seeded the demo once per worker."""

import pytest

pytestmark = pytest.mark.xdist_group("suite_order")


def test_xdist_groups_reach_the_scheduler(request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("runs only in the parallel suite (--dist loadgroup)")
    assert request.node.nodeid.endswith("@suite_order")
    assert request.config.option.loadscopereorder is False  # the order of tests/conftest.py holds
