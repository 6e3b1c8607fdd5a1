"""The one parser of numbers and ids (`marketplace.input_values`): what it folds, what it refuses,
and that it says so in words with the value's name, never in Python's."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from marketplace.input_values import MAX_ID, InputValueError, id_value, money, whole_number


def quantity(raw: object) -> int:
    return whole_number(raw, label="The quantity", minimum=1, maximum=100_000_000)


def price(raw: object, **kwargs: object) -> Decimal:
    return money(raw, label="The unit price", **kwargs)


def refusal(parse: object, raw: object) -> InputValueError:
    with pytest.raises(InputValueError) as caught:
        parse(raw)  # type: ignore[operator]
    return caught.value


# --- Whole numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1000", 1000),
        (" 1000 ", 1000),
        ("1,000", 1000),
        ("1 000", 1000),
        ("1000.0", 1000),
        ("+1000", 1000),
        ("１０００", 1000),
        ("１，０００", 1000),
        ("＋１０００", 1000),
        ("\u3000１０００\u3000", 1000),
        ("0007", 7),
        (1000, 1000),
        (1000.0, 1000),
        (Decimal("1000"), 1000),
    ],
)
def test_a_quantity_is_read_from_plain_grouped_signed_and_full_width_digits(typed: object, value: int) -> None:
    assert quantity(typed) == value


@pytest.mark.parametrize(
    "typed",
    [
        "²",
        "³",
        "٣",
        "०",
        "1²",
        "1e5",
        "1E3",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "0x10",
        "1_000",
        "1,5",
        "12.5",
        "1 2",
        "",
        "   ",
        "many",
        "− 5",
        True,
        False,
        12.5,
        float("nan"),
        float("inf"),
        [1],
        {"n": 1},
        None,
    ],
)
def test_anything_else_is_refused_as_not_a_whole_number_naming_the_value(typed: object) -> None:
    error = refusal(quantity, typed)

    assert str(error) == "The quantity must be a whole number."
    assert error.code == "invalid"


def test_a_full_width_minus_is_folded_and_then_refused_by_the_minimum() -> None:
    error = refusal(quantity, "－５")

    assert str(error) == "The quantity must be at least 1."
    assert error.code == "min_value"


def test_a_value_above_the_maximum_says_the_maximum() -> None:
    assert str(refusal(quantity, "100000001")) == "The quantity can be at most 100,000,000."


def test_five_thousand_digits_are_refused_quickly_with_at_most() -> None:
    started = time.perf_counter()

    error = refusal(quantity, "9" * 5000)

    assert time.perf_counter() - started < 0.1
    assert str(error) == "The quantity can be at most 100,000,000."
    assert error.code == "max_value"


def test_a_million_digits_negative_number_is_refused_by_the_minimum_without_being_converted() -> None:
    assert str(refusal(quantity, "-" + "9" * 1_000_000)) == "The quantity must be at least 1."


def test_leading_zeros_do_not_make_a_small_number_too_large() -> None:
    assert quantity("0" * 5000 + "42") == 42


def test_a_huge_json_number_is_refused_by_the_maximum() -> None:
    assert refusal(quantity, Decimal("1E+5000")).code == "max_value"
    assert refusal(quantity, 10**5000).code == "max_value"


# --- Amounts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12.50", Decimal("12.50")),
        ("１２．５０", Decimal("12.50")),
        ("1,250.50", Decimal("1250.50")),
        ("１，２５０．５", Decimal("1250.5")),
        ("+12.5", Decimal("12.5")),
        (".5", Decimal("0.5")),
        ("12", Decimal("12")),
        ("12.500000", Decimal("12.5000")),
        (12.5, Decimal("12.5")),
        (12, Decimal("12")),
    ],
)
def test_an_amount_is_read_from_plain_grouped_and_full_width_digits(typed: object, value: Decimal) -> None:
    assert price(typed) == value
    assert str(price(typed)) == str(value)


@pytest.mark.parametrize(
    "typed",
    [
        "²",
        "٣.5",
        "१२",
        "1e3",
        "1E-2",
        "NaN",
        "Infinity",
        "-Infinity",
        "1_000",
        "12,50",
        "0x10",
        ".",
        "",
        "cheap",
        True,
        float("nan"),
        float("inf"),
        Decimal("NaN"),
    ],
)
def test_an_amount_that_is_not_plainly_a_number_is_refused_with_an_example(typed: object) -> None:
    assert str(refusal(price, typed)) == "The unit price must be a number such as 12.50."


def test_a_negative_or_zero_amount_is_refused_unless_zero_is_allowed() -> None:
    assert str(refusal(price, "-1")) == "The unit price must be a positive amount."
    assert str(refusal(price, "０")) == "The unit price must be a positive amount."
    assert price("0", allow_zero=True) == 0


def test_five_thousand_digits_of_amount_are_refused_quickly_with_at_most() -> None:
    started = time.perf_counter()

    error = refusal(price, "9" * 5000)

    assert time.perf_counter() - started < 0.1
    assert str(error) == "The unit price can be at most 9,999,999,999."


def test_an_amount_with_more_than_four_decimal_places_is_refused() -> None:
    assert str(refusal(price, "0.00001")) == "The unit price can have at most four decimal places."
    assert str(refusal(price, "0." + "0" * 5000 + "1")) == "The unit price can have at most four decimal places."


def test_an_amount_may_have_its_own_maximum() -> None:
    assert money("20000000000", label="The output", maximum=Decimal("1e15")) == Decimal("20000000000")
    assert str(refusal(lambda raw: money(raw, label="The output", maximum=Decimal(100)), "101")) == (
        "The output can be at most 100."
    )


# --- Ids ------------------------------------------------------------------------------------------


def supplier(raw: object) -> int:
    return id_value(raw, label="The supplier")


@pytest.mark.parametrize(("given", "value"), [("12", 12), (" 12 ", 12), ("007", 7), (12, 12), (str(MAX_ID), MAX_ID)])
def test_an_id_is_plain_ascii_digits_or_a_json_integer(given: object, value: int) -> None:
    assert supplier(given) == value


@pytest.mark.parametrize(
    "given",
    [
        "１",
        "１２",
        "+1",
        "-1",
        "0",
        "1.0",
        "1 2",
        "1,2",
        "²",
        "٣",
        "1e3",
        "",
        "abc",
        12.0,
        True,
        0,
        -5,
        None,
        str(MAX_ID + 1),
        MAX_ID + 1,
        "9" * 5000,
    ],
)
def test_an_id_refuses_full_width_digits_signs_and_anything_not_plainly_an_id(given: object) -> None:
    error = refusal(supplier, given)

    assert str(error) == "The supplier must be given by its id, a whole number such as 42."
    assert "invalid literal" not in str(error)
