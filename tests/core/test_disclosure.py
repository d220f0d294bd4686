"""Counts of persons for municipal staff: under five is "< 5"; one more is hidden where a total would give a
hidden one away."""

from wijkwerken.core.disclosure import HIDDEN, MASKED, is_masked, persons_count, persons_counts


def test_fewer_than_five_persons_is_lt5_for_municipal_staff_only():
    assert [persons_count(n, mask=True) for n in (0, 1, 4, 5, 120)] == [MASKED, MASKED, MASKED, 5, 120]
    assert [persons_count(n, mask=False) for n in (0, 1, 4, 5)] == [0, 1, 4, 5]
    assert is_masked(MASKED) and is_masked(HIDDEN) and not is_masked(4) and not is_masked(0)


def test_one_hidden_count_beside_a_total_takes_the_smallest_other_with_it():
    # 7 + 1 = 8 with the 8 shown: the 1 would be 8 - 7.
    assert persons_counts([7, 1], mask=True) == [HIDDEN, MASKED]
    assert persons_counts([12, 3, 9, 40], mask=True) == [12, MASKED, HIDDEN, 40]
    # Two or more hidden already: nothing more to hide.
    assert persons_counts([12, 3, 0, 40], mask=True) == [12, MASKED, MASKED, 40]
    assert persons_counts([12, 30], mask=True) == [12, 30]
    assert persons_counts([2], mask=True) == [MASKED]
    assert persons_counts([7, 1], mask=False) == [7, 1]
