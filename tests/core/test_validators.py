"""The IBAN check the payout run and the SEPA writer use: python-stdnum's verdict, remembered per process."""

import random

import pytest
from stdnum import iban as stdnum_iban

from benchmarks.dataset.identities import iban
from wijkwerken.core.validators import iban_checked


def test_iban_checked_gives_the_compact_iban_or_nothing_as_stdnum_does():
    rng = random.Random(3)
    numbers = [iban(rng)[0] for _ in range(50)]
    spaced = [stdnum_iban.format(number) for number in numbers]
    broken = [number[:-1] + str((int(number[-1]) + 1) % 10) for number in numbers]  # a typing error
    for value in numbers + spaced + broken + ["", "BE", "NL91 ABNA 0417 1643 00", "not an iban"]:
        expected = stdnum_iban.compact(value) if stdnum_iban.is_valid(value) else ""
        assert iban_checked(value) == expected, value
    assert iban_checked(spaced[0]) == numbers[0]


@pytest.mark.parametrize("value", ["BE71 0961 2345 6769", "be71096123456769"])
def test_the_example_iban_is_valid_however_written(value):
    assert iban_checked(value) == "BE71096123456769"
