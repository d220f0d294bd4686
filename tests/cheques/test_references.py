import pytest
from stdnum.be import ogm_vcs

from cheques.references import client_numbers_in, normalise_structured_communication, structured_communications_in
from cheques.services.orders import new_order_communication

pytestmark = pytest.mark.django_db

VALID = "090933755493"  # a valid structured communication (mod 97)


def test_generated_order_communications_are_valid_and_distinct():
    values = {new_order_communication() for _ in range(200)}
    assert len(values) == 200
    for value in values:
        assert ogm_vcs.is_valid(value)
        assert value.startswith("9")


@pytest.mark.parametrize("typed", [
    "+++090/9337/55493+++", "090/9337/55493", "090 9337 55493", "***090/9337/55493***", "090933755493",
    "betaling +++ 090 / 9337 / 55493 +++ bedankt", "090.9337.55493", "090-9337-55493",
])
def test_structured_communication_is_read_however_it_is_typed(typed):
    assert normalise_structured_communication(typed) == VALID


@pytest.mark.parametrize("typed", ["+++090/9337/55494+++", "09093375549", "0909337554931", "hello", ""])
def test_invalid_or_incomplete_communications_are_not_read(typed):
    assert normalise_structured_communication(typed) == ""


def test_several_communications_in_one_transfer_in_order():
    other = new_order_communication()
    text = f"+++{ogm_vcs.format(other)}+++ en {VALID} en nog eens {VALID}"
    assert structured_communications_in(text) == [other, VALID]


def test_client_numbers_ignore_structured_communications():
    assert client_numbers_in(f"gebruiker 100023 {VALID}") == [100023]
