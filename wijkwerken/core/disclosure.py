"""Counts of persons shown to municipal staff: fewer than five persons is shown as "< 5", never as the number.

Municipal staff (role gemeente) see aggregates only. A count of 1 to 4 persons in a small municipality points at
people the reader may know; 0 is hidden too, so a hidden cell never tells "nobody" from "one or two". The
organiser's own staff see exact numbers. Every count of persons that municipal staff see goes through
`persons_count` (one value) or `persons_counts` (a group of values whose total is shown as well).
"""

from collections.abc import Sequence

SMALL_COUNT = 5
MASKED = "< 5"
# A count of five or more hidden beside a "< 5" in the same group, so the small one cannot be worked out.
HIDDEN = "×"


def is_masked(value) -> bool:
    return value in (MASKED, HIDDEN)


def persons_count(value: int, *, mask: bool) -> int | str:
    """`value`, or "< 5" when `mask` is set and it counts fewer than five persons."""
    if mask and value < SMALL_COUNT:
        return MASKED
    return value


def persons_counts(values: Sequence[int], *, mask: bool) -> list[int | str]:
    """A group of counts whose total is shown too (outflow by reason, clients by category): besides every count
    under five, one more count is hidden (as "×") when only one would be, else the total minus the others gives
    it away. The smallest count shown is the one hidden with it."""
    shown = [persons_count(value, mask=mask) for value in values]
    if mask and sum(1 for value in shown if is_masked(value)) == 1:
        visible = [(value, index) for index, value in enumerate(shown) if not is_masked(value)]
        if visible:
            _value, index = min(visible)
            shown[index] = HIDDEN
    return shown
