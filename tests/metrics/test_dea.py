"""DEA scores, slacks and peers against published examples and a naive solver.

Published values come from the example outputs shipped with DEAP 2.1 and
described in its guide: T. J. Coelli (1996), "A Guide to DEAP Version 2.1: A
Data Envelopment Analysis (Computer) Program", CEPA Working Paper 96/08,
University of New England.

- eg1-out.txt: example 1, five firms with one output and two inputs, CCR
  input orientated: scores, slacks, peers, peer weights and targets.
- eg4-out.txt, year 1: the Malmquist example's first year, five firms with
  one input and one output (the data of example 2), output orientated: CCR
  and BCC scores.

DEAP prints three decimals, so every expected value is also derived by hand
below, exactly, and asserted to 1e-6.  The BCC input-oriented scores and the
returns to scale of the one-input data rest on those hand derivations.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import linprog

from metrics import dea

# DEAP example 1: output q, inputs x1 and x2 of five firms.
EG1_OUTPUTS = np.array([[1.0], [2.0], [3.0], [1.0], [2.0]])
EG1_INPUTS = np.array([[2.0, 5.0], [2.0, 4.0], [6.0, 6.0], [3.0, 2.0], [6.0, 2.0]])

# DEAP examples 2 and 4 (first year): output q and input x of five firms.
EG2_OUTPUTS = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
EG2_INPUTS = np.array([2.0, 4.0, 3.0, 5.0, 6.0])

TOLERANCE = 1e-6


def test_ccr_input_scores_slacks_and_targets_match_deap_example_1() -> None:
    # eg1-out.txt (input orientated, CRS) prints te 0.500 1.000 0.833 0.714
    # 1.000, an input-2 slack of 0.500 for firm 1 and input targets (1, 2),
    # (2, 4), (5, 5), (2.143, 1.429), (6, 2).  By hand, per unit of output
    # the firms use (2, 5), (1, 2), (2, 2), (3, 2), (3, 1); the isoquant runs
    # through firm 2's (1, 2) and firm 5's (3, 1).
    #   firm 1: the ray t(2, 5) meets x1 = 1 at t = 1/2, at (1, 2.5): slack
    #           0.5 in input 2 per unit of output.
    #   firm 3: t(2, 2) = (1 + 2s, 2 - s) gives s = 1/3 and t = 5/6.
    #   firm 4: t(3, 2) = (1 + 2s, 2 - s) gives s = 4/7 and t = 5/7.
    result = dea.solve(EG1_INPUTS, EG1_OUTPUTS, rts="crs", orientation="input")

    np.testing.assert_allclose(
        result.efficiency, [0.5, 1.0, 5 / 6, 5 / 7, 1.0], atol=TOLERANCE
    )
    np.testing.assert_allclose(
        result.input_slacks,
        [[0.0, 0.5], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
        atol=TOLERANCE,
    )
    np.testing.assert_allclose(result.output_slacks, 0.0, atol=TOLERANCE)
    np.testing.assert_allclose(
        result.targets.inputs,
        [[1.0, 2.0], [2.0, 4.0], [5.0, 5.0], [15 / 7, 10 / 7], [6.0, 2.0]],
        atol=TOLERANCE,
    )
    np.testing.assert_allclose(result.targets.outputs, EG1_OUTPUTS, atol=TOLERANCE)


def test_ccr_peers_and_weights_match_deap_example_1() -> None:
    # eg1-out.txt lists peers 2 | 2 | 5 2 | 5 2 | 5 with weights 0.500 |
    # 1.000 | 0.500 1.000 | 0.286 0.214 | 1.000.  Firm 4's weights are 2/7
    # on firm 5 and 3/14 on firm 2: 2/7 (6, 2) + 3/14 (2, 4) = (15/7, 10/7),
    # its target, and 2/7 * 2 + 3/14 * 2 = 1, its output.
    result = dea.solve(EG1_INPUTS, EG1_OUTPUTS, rts="crs", orientation="input")
    weights = result.lambdas.toarray()

    assert sparse.issparse(result.lambdas)
    assert result.lambdas.shape == (5, 5)
    assert [result.peers(unit).tolist() for unit in range(5)] == [
        [1],
        [1],
        [1, 4],
        [1, 4],
        [4],
    ]
    np.testing.assert_allclose(weights[0], [0, 0.5, 0, 0, 0], atol=TOLERANCE)
    np.testing.assert_allclose(weights[2], [0, 1, 0, 0, 0.5], atol=TOLERANCE)
    np.testing.assert_allclose(weights[3], [0, 3 / 14, 0, 0, 2 / 7], atol=TOLERANCE)


def test_ccr_output_orientation_of_example_1() -> None:
    # Under constant returns the output score 1/phi equals the input score
    # (DEAP prints the same te in both orientations).  The weights are the
    # input weights divided by theta, so firm 1 with phi = 2 reaches (2, 4)
    # with one unit of firm 2: an input-2 slack of 5 - 4 = 1.
    result = dea.solve(EG1_INPUTS, EG1_OUTPUTS, rts="crs", orientation="output")

    np.testing.assert_allclose(
        result.efficiency, [0.5, 1.0, 5 / 6, 5 / 7, 1.0], atol=TOLERANCE
    )
    np.testing.assert_allclose(result.input_slacks[0], [0, 1], atol=TOLERANCE)
    np.testing.assert_allclose(result.input_slacks[1:], 0.0, atol=TOLERANCE)
    np.testing.assert_allclose(
        result.targets.outputs[:, 0], [2, 2, 3.6, 1.4, 2], atol=TOLERANCE
    )


def test_one_input_one_output_scores_match_deap_example_4_and_hand_work() -> None:
    # Firms (x, q): (2, 1), (4, 2), (3, 3), (5, 4), (6, 5).
    # CRS: q/x over the best ratio 1 (firm 3) gives 0.5, 0.5, 1, 0.8, 5/6 in
    # either orientation; eg4-out.txt (year 1, output orientated) prints
    # 0.500 0.500 1.000 0.800 0.833.
    # VRS input: firm 2 needs q = 2 = (1 + 3)/2 from firms 1 and 3 with
    # x = (2 + 3)/2 = 2.5, so 2.5/4 = 0.625; firm 4 needs q = 4 from firms 3
    # and 5 halved, x = 4.5, so 0.9.
    # VRS output: the upper frontier from (3, 3) to (6, 5) has slope 2/3, so
    # at x = 4 firm 2 could make 11/3 (2 / (11/3) = 6/11) and at x = 5 firm 4
    # could make 13/3 (4 / (13/3) = 12/13); eg4-out.txt (year 1) prints vrs
    # te 1.000 0.545 1.000 0.923 1.000.
    crs = [0.5, 0.5, 1.0, 0.8, 5 / 6]
    expected = {
        ("crs", "input"): crs,
        ("crs", "output"): crs,
        ("vrs", "input"): [1.0, 0.625, 1.0, 0.9, 1.0],
        ("vrs", "output"): [1.0, 6 / 11, 1.0, 12 / 13, 1.0],
    }

    for (rts, orientation), scores in expected.items():
        result = dea.solve(EG2_INPUTS, EG2_OUTPUTS, rts=rts, orientation=orientation)
        np.testing.assert_allclose(result.efficiency, scores, atol=TOLERANCE)


def test_input_scale_efficiency_and_returns_to_scale_of_example_2() -> None:
    # Scale efficiency is CCR over BCC: 0.5/1, 0.5/0.625, 1, 0.8/0.9 and
    # (5/6)/1.  With non-increasing returns the frontier is the ray
    # through firm 3 up to x = 3 and the VRS frontier beyond: firms 1 and 2
    # score as under CRS (0.5, 0.5, below their VRS scores: increasing);
    # firms 4 and 5 score as under VRS (0.9, 1: decreasing).
    result = dea.scale_efficiency(EG2_INPUTS, EG2_OUTPUTS, orientation="input")

    np.testing.assert_allclose(
        result.scale, [0.5, 0.8, 1.0, 8 / 9, 5 / 6], atol=TOLERANCE
    )
    np.testing.assert_allclose(result.nirs, [0.5, 0.5, 1.0, 0.9, 1.0], atol=TOLERANCE)
    assert result.returns_to_scale.tolist() == [
        "increasing",
        "increasing",
        "constant",
        "decreasing",
        "decreasing",
    ]


def test_output_returns_to_scale_follow_the_output_projection() -> None:
    # Output-oriented, firm 2 (4, 2) projects to (4, 11/3), on the part of
    # the frontier beyond firm 3 where the NIRS and VRS frontiers coincide,
    # so it is "decreasing" although its input projection is "increasing".
    # Firm 1 (2, 1) projects onto itself under VRS (no firm uses less
    # input), but the NIRS ray through firm 3 gives it q = 2 (phi = 2, the
    # CRS value): "increasing".
    result = dea.scale_efficiency(EG2_INPUTS, EG2_OUTPUTS, orientation="output")

    np.testing.assert_allclose(
        result.scale, [0.5, 0.5 * 11 / 6, 1.0, 0.8 * 13 / 12, 5 / 6], atol=TOLERANCE
    )
    assert result.returns_to_scale.tolist() == [
        "increasing",
        "decreasing",
        "constant",
        "decreasing",
        "decreasing",
    ]


def naive_reference(
    inputs: np.ndarray,
    outputs: np.ndarray,
    rts: str,
    orientation: str,
    evaluated: Sequence[int] | np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and optimal slack sums from one full program per unit and phase.

    Variables are the radial factor, every unit's lambda, then the input and
    output slacks, with equality rows, as in the textbooks.  ``evaluated``
    picks the units to score (all by default); all units form the frontier.
    """
    units, input_count = inputs.shape
    output_count = outputs.shape[1]
    width = 1 + units + input_count + output_count
    evaluated = range(units) if evaluated is None else evaluated
    scores, slack_sums = [], []

    for unit in evaluated:
        rows = np.zeros((input_count + output_count, width))
        rhs = np.zeros(input_count + output_count)
        rows[:input_count, 1 : 1 + units] = inputs.T
        rows[:input_count, 1 + units : 1 + units + input_count] = np.eye(input_count)
        rows[input_count:, 1 : 1 + units] = outputs.T
        rows[input_count:, 1 + units + input_count :] = -np.eye(output_count)
        if orientation == "input":
            rows[:input_count, 0] = -inputs[unit]
            rhs[input_count:] = outputs[unit]
        else:
            rows[input_count:, 0] = -outputs[unit]
            rhs[:input_count] = inputs[unit]
        if rts == "vrs":
            convexity = np.zeros((1, width))
            convexity[0, 1 : 1 + units] = 1.0
            rows, rhs = np.vstack([rows, convexity]), np.append(rhs, 1.0)

        radial_cost = np.zeros(width)
        radial_cost[0] = 1.0 if orientation == "input" else -1.0
        bounds = [(0.0, None)] * width
        radial = linprog(radial_cost, A_eq=rows, b_eq=rhs, bounds=bounds).x[0]

        slack_cost = np.zeros(width)
        slack_cost[1 + units :] = -1.0
        bounds[0] = (radial, radial)
        second = linprog(slack_cost, A_eq=rows, b_eq=rhs, bounds=bounds)
        scores.append(radial if orientation == "input" else 1.0 / radial)
        slack_sums.append(-second.fun)

    return np.array(scores), np.array(slack_sums)


def awkward_data(seed: int, units: int) -> tuple[np.ndarray, np.ndarray]:
    """Random data with the ties, duplicates and zeros real data have."""
    generator = np.random.default_rng(seed)
    inputs = np.round(generator.uniform(1, 10, (units, 3)), 1)
    outputs = np.round(generator.uniform(1, 10, (units, 2)), 1)
    inputs[1] = inputs[0]
    outputs[1] = outputs[0]
    inputs[2, 0] = 0.0
    outputs[3, 1] = 0.0
    outputs[4] = outputs[5]
    return inputs, outputs


COMBINATIONS = [
    ("crs", "input"),
    ("crs", "output"),
    ("vrs", "input"),
    ("vrs", "output"),
]


@pytest.mark.parametrize(("rts", "orientation"), COMBINATIONS)
def test_matches_one_full_program_per_unit(rts: str, orientation: str) -> None:
    inputs, outputs = awkward_data(seed=7, units=70)
    scores, slack_sums = naive_reference(inputs, outputs, rts, orientation)

    result = dea.solve(inputs, outputs, rts=rts, orientation=orientation)

    np.testing.assert_allclose(result.efficiency, scores, atol=TOLERANCE)
    found_sums = result.input_slacks.sum(axis=1) + result.output_slacks.sum(axis=1)
    np.testing.assert_allclose(found_sums, slack_sums, rtol=TOLERANCE, atol=TOLERANCE)
    assert (slack_sums > TOLERANCE).sum() > 10
    assert_consistent(result, inputs, outputs)


def assert_consistent(
    result: dea.DEAResult, inputs: np.ndarray, outputs: np.ndarray
) -> None:
    """Weights are valid and reproduce the targets; peers are their support.

    The individual weights are often not unique, so only these identities
    are asserted.
    """
    weights = result.lambdas.toarray()
    assert (weights >= 0).all()
    assert (result.efficiency > 0).all()
    assert (result.efficiency <= 1).all()
    assert (result.input_slacks >= 0).all()
    assert (result.output_slacks >= 0).all()
    np.testing.assert_allclose(weights @ inputs, result.targets.inputs, atol=1e-6)
    np.testing.assert_allclose(weights @ outputs, result.targets.outputs, atol=1e-6)
    if result.rts == "vrs":
        np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-9)
    for unit in range(weights.shape[0]):
        assert result.peers(unit).tolist() == np.nonzero(weights[unit])[0].tolist()


def village_like(seed: int, units: int) -> tuple[np.ndarray, np.ndarray]:
    """Three inputs and outputs from a noisy Cobb-Douglas frontier."""
    generator = np.random.default_rng(seed)
    size = generator.normal(0.0, 0.6, units)[:, np.newaxis]
    inputs = np.exp(size + generator.normal(0.0, 0.35, (units, 3)))
    elasticities = np.array([[0.3, 0.4, 0.2], [0.2, 0.5, 0.2], [0.4, 0.2, 0.3]])
    inefficiency = np.abs(generator.normal(0.0, 0.3, (units, 1)))
    noise = generator.normal(0.0, 0.15, (units, 3))
    outputs = np.exp(np.log(inputs) @ elasticities.T - inefficiency + noise)
    return inputs * [6.0, 4.0e5, 800.0], outputs * [1200.0, 300.0, 50.0]


@pytest.mark.parametrize(("rts", "orientation"), COMBINATIONS)
def test_column_generation_matches_the_full_program_on_a_larger_set(
    rts: str, orientation: str
) -> None:
    # With 600 units the model starts far smaller than the frame, so pricing,
    # screening and the slack-phase shortcut are all exercised.  The naive
    # programs are solved for a sample of units only, to keep the test fast.
    inputs, outputs = village_like(seed=3, units=600)
    sample = np.random.default_rng(11).choice(600, 25, replace=False)

    result = dea.solve(inputs, outputs, rts=rts, orientation=orientation)
    scores, slack_sums = naive_reference(inputs, outputs, rts, orientation, sample)

    np.testing.assert_allclose(result.efficiency[sample], scores, atol=TOLERANCE)
    found_sums = result.input_slacks.sum(axis=1) + result.output_slacks.sum(axis=1)
    np.testing.assert_allclose(
        found_sums[sample], slack_sums, rtol=TOLERANCE, atol=TOLERANCE
    )
    assert_consistent(result, inputs, outputs)


def test_worker_processes_give_the_same_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Lowering the threshold splits 400 units over two processes, which keeps
    # the test quick; the chunking is decided in this process.
    monkeypatch.setattr(dea, "PARALLEL_MINIMUM_UNITS", 100)
    inputs, outputs = village_like(seed=5, units=400)

    alone = dea.solve(inputs, outputs, rts="vrs", orientation="input")
    shared = dea.solve(inputs, outputs, rts="vrs", orientation="input", workers=2)

    np.testing.assert_allclose(shared.efficiency, alone.efficiency, atol=1e-9)
    found_sums = shared.input_slacks.sum(axis=1) + shared.output_slacks.sum(axis=1)
    alone_sums = alone.input_slacks.sum(axis=1) + alone.output_slacks.sum(axis=1)
    np.testing.assert_allclose(found_sums, alone_sums, rtol=1e-7, atol=TOLERANCE)
    assert_consistent(shared, inputs, outputs)


def test_a_single_unit_is_efficient_against_itself() -> None:
    result = dea.solve([[3.0, 1.0]], [[2.0]], rts="vrs", orientation="output")

    assert result.efficiency.tolist() == [1.0]
    assert result.peers(0).tolist() == [0]


def test_one_dimensional_data_is_read_as_one_column() -> None:
    result = dea.solve([2.0, 4.0], [1.0, 1.0], rts="crs")

    assert result.input_slacks.shape == (2, 1)
    np.testing.assert_allclose(result.efficiency, [1.0, 0.5], atol=TOLERANCE)


GOOD_INPUTS = [[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]]
GOOD_OUTPUTS = [[1.0], [1.0], [2.0]]


@pytest.mark.parametrize(
    ("inputs", "outputs", "options", "message"),
    [
        (
            [[1.0, -2.0], [2.0, 1.0], [3.0, 3.0]],
            GOOD_OUTPUTS,
            {},
            "inputs hold negative values for units 0",
        ),
        (
            GOOD_INPUTS,
            [[1.0], [float("nan")], [2.0]],
            {},
            "outputs hold non-finite values for units 1",
        ),
        (
            [[1.0, np.inf], [2.0, 1.0], [3.0, 3.0]],
            GOOD_OUTPUTS,
            {},
            "inputs hold non-finite values for units 0",
        ),
        (
            [[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]],
            GOOD_OUTPUTS,
            {},
            "inputs columns 1 are all zero",
        ),
        (
            GOOD_INPUTS,
            [[1.0, 0.0], [1.0, 0.0], [2.0, 0.0]],
            {},
            "outputs columns 1 are all zero",
        ),
        (
            GOOD_INPUTS,
            [[1.0], [0.0], [2.0]],
            {},
            "units 1 have no positive outputs",
        ),
        (GOOD_INPUTS, [[1.0], [1.0]], {}, "inputs have 3 units but outputs have 2"),
        (
            np.ones((3, 2, 2)),
            GOOD_OUTPUTS,
            {},
            r"inputs must be shaped \(units, inputs\)",
        ),
        (np.ones((0, 2)), np.ones((0, 1)), {}, "at least one unit"),
        (GOOD_INPUTS, [["a"], ["b"], ["c"]], {}, "outputs must be numeric"),
        (GOOD_INPUTS, GOOD_OUTPUTS, {"rts": "drs"}, "rts must be one of vrs, crs"),
        (
            GOOD_INPUTS,
            GOOD_OUTPUTS,
            {"orientation": "both"},
            "orientation must be one of input, output",
        ),
        (GOOD_INPUTS, GOOD_OUTPUTS, {"workers": 0}, "workers must be"),
    ],
)
def test_bad_data_is_refused_before_any_solving(
    inputs: object,
    outputs: object,
    options: dict[str, object],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_solving(*arguments: object, **keywords: object) -> None:
        raise AssertionError("a program was solved before the data were checked")

    monkeypatch.setattr(dea, "_run", no_solving)

    with pytest.raises(ValueError, match=message):
        dea.solve(inputs, outputs, **options)  # type: ignore[arg-type]


def test_scale_efficiency_refuses_bad_data_too() -> None:
    with pytest.raises(ValueError, match="orientation must be one of"):
        dea.scale_efficiency(GOOD_INPUTS, GOOD_OUTPUTS, orientation="sideways")
