"""Theil T index and its decomposition, checked against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.typing import ArrayLike

from metrics.theil import decompose, theil_t


def test_equal_populations_give_the_unweighted_index() -> None:
    # Amounts 1, 2, 3, 4 over four equal populations:
    #   s = 0.1, 0.2, 0.3, 0.4 and q = 0.25 each, so s/q = 0.4, 0.8, 1.2, 1.6
    #   T = 0.1 ln 0.4 + 0.2 ln 0.8 + 0.3 ln 1.2 + 0.4 ln 1.6
    #     = -0.0916291 - 0.0446287 + 0.0546965 + 0.1880015 = 0.1064401
    expected = (
        0.1 * math.log(0.4)
        + 0.2 * math.log(0.8)
        + 0.3 * math.log(1.2)
        + 0.4 * math.log(1.6)
    )

    assert theil_t([1, 2, 3, 4], [7, 7, 7, 7]) == pytest.approx(expected, abs=1e-15)
    assert expected == pytest.approx(0.1064401, abs=1e-7)


def test_populations_weight_the_shares() -> None:
    # Amounts 30, 50, 20 over populations 20, 30, 50:
    #   s = 0.3, 0.5, 0.2 and q = 0.2, 0.3, 0.5, so s/q = 1.5, 5/3, 0.4
    #   T = 0.3 ln 1.5 + 0.5 ln(5/3) + 0.2 ln 0.4
    #     = 0.1216395 + 0.2554128 - 0.1832581 = 0.1937942
    expected = 0.3 * math.log(1.5) + 0.5 * math.log(5 / 3) + 0.2 * math.log(0.4)

    assert theil_t([30, 50, 20], [20, 30, 50]) == pytest.approx(expected, abs=1e-15)
    assert expected == pytest.approx(0.1937942, abs=1e-7)


def test_proportional_amounts_have_no_inequality() -> None:
    assert theil_t([10, 20, 30], [1, 2, 3]) == pytest.approx(0.0, abs=1e-15)


def test_a_unit_with_no_amount_contributes_nothing() -> None:
    # Amounts 0, 1, 1 over equal populations: the empty unit's term
    # 0 ln 0 is taken as its limit 0, leaving
    #   T = 2 * 0.5 ln(0.5 / (1/3)) = ln 1.5 = 0.4054651
    assert theil_t([0, 1, 1], [1, 1, 1]) == pytest.approx(math.log(1.5), abs=1e-15)


def test_all_the_amount_in_one_unit_gives_the_maximum() -> None:
    # One unit of n holds everything: T = 1 * ln(1 / (1/n)) = ln n.
    assert theil_t([0, 0, 0, 5], [1, 1, 1, 1]) == pytest.approx(math.log(4))


def test_decomposition_matches_the_worked_example() -> None:
    # Amounts 30, 50, 20 over populations 20, 30, 50, groups A, A, B.
    #   Group A: S = 0.8, Q = 0.5; group B: S = 0.2, Q = 0.5.
    #   between = 0.8 ln 1.6 + 0.2 ln 0.4 = 0.3760029 - 0.1832581 = 0.1927448
    #   Inside A the shares are 0.375, 0.625 of the amount and 0.4, 0.6 of
    #   the population:
    #   T_A = 0.375 ln(0.375/0.4) + 0.625 ln(0.625/0.6)
    #       = -0.0242019 + 0.0255137 = 0.0013118
    #   B has a single unit, so T_B = 0.
    #   within = 0.8 * 0.0013118 + 0.2 * 0 = 0.0010494
    #   total = 0.1927448 + 0.0010494 = 0.1937942, the index of the example
    #   above.
    result = decompose([30, 50, 20], [20, 30, 50], ["A", "A", "B"])

    theil_a = 0.375 * math.log(0.375 / 0.4) + 0.625 * math.log(0.625 / 0.6)
    assert result.between == pytest.approx(
        0.8 * math.log(1.6) + 0.2 * math.log(0.4), abs=1e-15
    )
    assert result.group("A").theil == pytest.approx(theil_a, abs=1e-15)
    assert result.group("A").within == pytest.approx(0.8 * theil_a, abs=1e-15)
    assert result.group("B").theil == 0.0
    assert result.within == pytest.approx(0.0010494, abs=1e-7)
    assert result.total == pytest.approx(theil_t([30, 50, 20], [20, 30, 50]), abs=1e-15)


def test_groups_are_reported_in_order_of_first_appearance() -> None:
    result = decompose([1, 2, 3, 4], [1, 1, 1, 1], ["north", "south", "north", "east"])

    assert [term.label for term in result.groups] == ["north", "south", "east"]
    assert result.group("north").amount_share == pytest.approx(0.4)
    assert result.group("east").population_share == pytest.approx(0.25)
    with pytest.raises(KeyError):
        result.group("west")


@pytest.mark.parametrize("seed", range(20))
def test_decomposition_identity_holds_on_random_data(seed: int) -> None:
    generator = np.random.default_rng(seed)
    size = int(generator.integers(2, 400))
    amounts = generator.lognormal(10, 1.5, size)
    amounts[generator.random(size) < 0.1] = 0.0
    amounts[0] = 1.0
    populations = generator.integers(1, 5_000, size).astype(float)
    groups = generator.integers(0, int(generator.integers(1, 12)), size).tolist()

    result = decompose(amounts, populations, groups)

    assert result.total == result.between + result.within
    assert result.within == sum(term.within for term in result.groups)
    assert result.between == sum(term.between for term in result.groups)
    assert result.total == pytest.approx(theil_t(amounts, populations), abs=1e-12)
    assert sum(term.amount_share for term in result.groups) == pytest.approx(1.0)
    assert all(term.theil >= -1e-12 for term in result.groups)


def test_one_group_has_no_between_component() -> None:
    result = decompose([5, 1, 9], [2, 2, 3], ["all", "all", "all"])

    assert result.between == pytest.approx(0.0, abs=1e-15)
    assert result.within == pytest.approx(theil_t([5, 1, 9], [2, 2, 3]), abs=1e-15)


def test_singleton_groups_put_everything_between() -> None:
    result = decompose([5, 1, 9], [2, 2, 3], ["a", "b", "c"])

    assert result.within == 0.0
    assert result.between == pytest.approx(theil_t([5, 1, 9], [2, 2, 3]), abs=1e-15)


def test_a_group_with_no_amount_contributes_nothing() -> None:
    result = decompose([0, 0, 3, 1], [1, 1, 1, 1], ["empty", "empty", "x", "x"])

    assert result.group("empty").within == 0.0
    assert result.group("empty").between == 0.0
    assert result.total == pytest.approx(theil_t([0, 0, 3, 1], [1, 1, 1, 1]), abs=1e-15)


@pytest.mark.parametrize(
    ("amounts", "populations", "message"),
    [
        ([1, -2, 3], [1, 1, 1], "amounts must not be negative"),
        ([1, 2, 3], [1, -1, 1], "populations must not be negative"),
        ([1, float("nan"), 3], [1, 1, 1], "amounts must be finite"),
        ([1, 2, 3], [1, float("inf"), 1], "populations must be finite"),
        ([1, 2, 3], [1, 1], "amounts has 3 values but populations has 2"),
        ([0, 0, 0], [1, 1, 1], "amounts must have a positive total"),
        ([1, 2], [0, 0], "populations must have a positive total"),
        ([1, 2], [1, 0], r"units \[1\] have a positive amount but no population"),
        ([], [], "amounts must be a non-empty list"),
        ([[1, 2]], [[1, 2]], "amounts must be a non-empty list"),
        (["a", "b"], [1, 1], "amounts must be numeric"),
    ],
)
def test_bad_input_is_refused(
    amounts: ArrayLike, populations: ArrayLike, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        theil_t(amounts, populations)


def test_decompose_refuses_groups_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="groups has 2 labels but there are 3 units"):
        decompose([1, 2, 3], [1, 1, 1], ["a", "b"])
