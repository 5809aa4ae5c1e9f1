"""Data envelopment analysis (DEA) with radial CCR and BCC models.

Every unit is scored by the envelopment program of Charnes, Cooper and Rhodes
(constant returns, "crs") or Banker, Charnes and Cooper (variable returns,
"vrs"), input or output oriented, followed by a second phase that maximises
the plain sum of slacks at the radial optimum, as DEAP and R's Benchmarking
do.

Large problems are fast because each unit's program only ever holds the
columns that matter: one HiGHS model is kept alive per process, starts from a
few frontier units, and grows by column generation.  After each solve the
duals price every candidate unit in one matrix product; a unit whose reduced
cost is negative joins the model and the program is solved again.  The
answer is therefore exactly that of the full program.  Units shown to be
radially inefficient, or dominated outright by a model member, can never be
part of the frame (the extreme efficient units that span the frontier), so
they leave the candidate set and pricing gets cheaper as the run proceeds.
The slack phase is skipped when every input and output row has a nonzero
dual, since complementary slackness then rules out any slack.  With several
workers the units are shared among processes, each with its own model.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import NamedTuple

import highspy
import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

logger = logging.getLogger(__name__)

RTS_CHOICES = ("vrs", "crs")
ORIENTATIONS = ("input", "output")
RETURNS_TO_SCALE = ("increasing", "constant", "decreasing")

# HiGHS defaults to 1e-7; scores are promised to 1e-6, so the solver runs
# with two more digits of headroom.
SOLVER_TOLERANCE = 1e-9
# A reduced cost must be this negative before a column joins a program.
# Anything smaller changes an objective by less than the solver tolerance.
PRICING_TOLERANCE = 1e-9
# At most this many columns join a program per pricing round: enough to
# reach the right facet in a round or two, few enough not to bloat the model.
COLUMNS_PER_ROUND = 8
# A radial score this far from 1 proves a unit is not on the frontier.
FRONTIER_MARGIN = 1e-6
# A dual of an input or output row larger than this in magnitude forces the
# row's slack to zero in every optimal solution (complementary slackness), so
# the slack phase can be skipped when it holds for every row.  The duals are
# of order one on the column-scaled data, and a truly zero dual is reported
# within the solver tolerance, far below this threshold.
DUAL_ZERO = 1e-7
# Reference weights below this are solver noise, not peers; slacks below
# this fraction of their column's mean are rounding, not slack.
LAMBDA_ZERO = 1e-10
SLACK_ZERO = 1e-10
# Scale efficiency within this distance of 1 counts as constant returns, and
# NIRS and VRS scores within it count as equal.
SCALE_TOLERANCE = 1e-6
# Below this many units the start-up of worker processes costs more than it
# saves.
PARALLEL_MINIMUM_UNITS = 2_000
# Random price directions used to seed each model with frontier units.
SEED_DIRECTIONS = 64
# Candidates are screened for dominance again whenever the model has grown
# by this factor since the last screen, and in blocks of this many units.
SCREEN_GROWTH = 1.5
SCREEN_BLOCK = 2048
# When holding the radial factor exactly at its optimum leaves the slack
# phase infeasible by rounding, it is loosened by this relative band.
SLACK_PHASE_BAND = 1e-9


class Targets(NamedTuple):
    """Projected inputs and outputs of every unit, in original units."""

    inputs: np.ndarray
    outputs: np.ndarray


@dataclass(frozen=True)
class DEAResult:
    """Scores, reference weights and slacks of one DEA run.

    ``efficiency`` holds one score per unit in (0, 1] for positive data.  For
    the input orientation it is the radial contraction factor theta; for the
    output orientation it is the reciprocal 1/phi of the output expansion
    factor phi >= 1 (DEAP's and pyDEA's convention, not Benchmarking's).
    ``lambdas`` is a sparse (units x units) matrix whose row i holds the
    reference weights of unit i after the slack phase.
    """

    efficiency: np.ndarray
    lambdas: sparse.csr_matrix
    input_slacks: np.ndarray
    output_slacks: np.ndarray
    targets: Targets
    rts: str
    orientation: str

    def peers(self, unit: int) -> np.ndarray:
        """Indices of the units that carry positive weight for ``unit``."""
        start, end = self.lambdas.indptr[unit], self.lambdas.indptr[unit + 1]
        return np.sort(self.lambdas.indices[start:end])


@dataclass(frozen=True)
class ScaleEfficiency:
    """Scale efficiency and the local returns to scale of every unit.

    ``scale`` is the CCR score over the BCC score.  ``returns_to_scale`` holds
    "constant" where the two agree, otherwise "decreasing" when the score
    under non-increasing returns equals the BCC score and "increasing" when it
    does not (Fare, Grosskopf and Lovell's rule, as printed by DEAP).
    """

    crs: np.ndarray
    vrs: np.ndarray
    nirs: np.ndarray
    scale: np.ndarray
    returns_to_scale: np.ndarray


@dataclass(frozen=True)
class _Problem:
    """Validated data, scaled so that every column has mean one."""

    inputs: np.ndarray
    outputs: np.ndarray
    scaled_inputs: np.ndarray
    scaled_outputs: np.ndarray
    rts: str
    orientation: str


class _ChunkResult(NamedTuple):
    units: np.ndarray
    radial: np.ndarray
    lambda_rows: np.ndarray
    lambda_columns: np.ndarray
    lambda_values: np.ndarray


def solve(
    inputs: ArrayLike,
    outputs: ArrayLike,
    *,
    rts: str = "vrs",
    orientation: str = "input",
    workers: int = 1,
) -> DEAResult:
    """Score every unit against the frontier spanned by all units.

    ``inputs`` is shaped (units, inputs) and ``outputs`` (units, outputs); a
    one-dimensional array is read as a single column.  ``rts`` is "vrs" (BCC)
    or "crs" (CCR); ``orientation`` is "input" or "output".  The efficiency of
    the output orientation is 1/phi, the reciprocal of the expansion factor.
    Slacks come from a second phase that maximises their plain sum in
    original units with the radial score held at its optimum.  That sum is
    dominated by the columns with the largest values: slacks in a column
    many orders of magnitude smaller (a mean below 1e-4 next to one above
    1e4, say) are resolved only to the solver's tolerance relative to the
    largest, where Benchmarking would rescale the columns first.

    ``workers`` above one spreads the units over up to that many processes
    (this one included), each given at least ``PARALLEL_MINIMUM_UNITS``
    units.  The extra processes are started with "spawn", which a daemonic
    process such as a Celery prefork worker may not do: keep the default of
    one worker there.
    """
    problem = _prepare(inputs, outputs, rts, orientation)
    _check_workers(workers)

    radial, lambdas = _run(problem, with_slacks=True, workers=workers)
    return _assemble(problem, radial, lambdas)


def scale_efficiency(
    inputs: ArrayLike,
    outputs: ArrayLike,
    *,
    orientation: str = "input",
    workers: int = 1,
) -> ScaleEfficiency:
    """Compare CCR, BCC and non-increasing-returns scores of every unit.

    Three radial runs (no slack phase) give the CCR, BCC and NIRS scores, in
    the same convention as :func:`solve` (1/phi for the output orientation).
    """
    problem = _prepare(inputs, outputs, "crs", orientation)
    _check_workers(workers)

    scores = {}
    for rts in ("crs", "vrs", "nirs"):
        radial, _ = _run(replace(problem, rts=rts), with_slacks=False, workers=workers)
        scores[rts] = _efficiency(radial, orientation)

    scale = scores["crs"] / scores["vrs"]
    increasing, constant, decreasing = RETURNS_TO_SCALE
    classes = np.full(scale.size, increasing, dtype=object)
    classes[np.abs(scores["nirs"] - scores["vrs"]) <= SCALE_TOLERANCE] = decreasing
    classes[np.abs(scale - 1.0) <= SCALE_TOLERANCE] = constant
    return ScaleEfficiency(
        crs=scores["crs"],
        vrs=scores["vrs"],
        nirs=scores["nirs"],
        scale=scale,
        returns_to_scale=classes,
    )


def _prepare(
    inputs: ArrayLike,
    outputs: ArrayLike,
    rts: str,
    orientation: str,
) -> _Problem:
    if rts not in RTS_CHOICES:
        raise ValueError(f"rts must be one of {', '.join(RTS_CHOICES)}; got {rts!r}.")
    if orientation not in ORIENTATIONS:
        raise ValueError(
            f"orientation must be one of {', '.join(ORIENTATIONS)}; "
            f"got {orientation!r}."
        )

    x = _as_matrix(inputs, "inputs")
    y = _as_matrix(outputs, "outputs")
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"inputs have {x.shape[0]} units but outputs have {y.shape[0]}."
        )
    for name, values in (("inputs", x), ("outputs", y)):
        _check_values(values, name)

    return _Problem(
        inputs=x,
        outputs=y,
        scaled_inputs=x / x.mean(axis=0),
        scaled_outputs=y / y.mean(axis=0),
        rts=rts,
        orientation=orientation,
    )


def _check_workers(workers: int) -> None:
    if not isinstance(workers, int) or workers < 1:
        raise ValueError(
            f"workers must be a whole number of at least 1, got {workers!r}."
        )


def _as_matrix(values: object, name: str) -> np.ndarray:
    try:
        matrix = np.array(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from error
    if matrix.ndim == 1:
        matrix = matrix[:, np.newaxis]
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be shaped (units, {name}), got {matrix.shape}.")
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise ValueError(f"{name} must hold at least one unit and one column.")
    return matrix


def _check_values(matrix: np.ndarray, name: str) -> None:
    if not np.isfinite(matrix).all():
        rows = np.unique(np.nonzero(~np.isfinite(matrix))[0])
        raise ValueError(f"{name} hold non-finite values for units {_few(rows)}.")
    if (matrix < 0).any():
        rows = np.unique(np.nonzero(matrix < 0)[0])
        raise ValueError(f"{name} hold negative values for units {_few(rows)}.")
    empty_columns = np.nonzero(~matrix.any(axis=0))[0]
    if empty_columns.size:
        raise ValueError(f"{name} columns {_few(empty_columns)} are all zero.")
    # A unit with no positive input (or output) has no radial measure: its
    # program is unbounded or meaningless (Cooper, Seiford and Tone ask for
    # semipositive data for the same reason).
    empty_rows = np.nonzero(~matrix.any(axis=1))[0]
    if empty_rows.size:
        raise ValueError(f"units {_few(empty_rows)} have no positive {name}.")


def _few(indices: np.ndarray) -> str:
    shown = ", ".join(str(index) for index in indices[:10])
    return shown + (f" and {indices.size - 10} more" if indices.size > 10 else "")


def _run(
    problem: _Problem, *, with_slacks: bool, workers: int
) -> tuple[np.ndarray, sparse.csr_matrix]:
    units = problem.inputs.shape[0]
    chunk_count = min(workers, max(1, units // PARALLEL_MINIMUM_UNITS))
    # Interleaving keeps the chunks alike when the data arrive sorted.
    chunks = [np.arange(start, units, chunk_count) for start in range(chunk_count)]

    if chunk_count == 1:
        results = [_solve_chunk(problem, chunks[0], with_slacks)]
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(chunk_count - 1, mp_context=context) as pool:
            futures = [
                pool.submit(_solve_chunk, problem, chunk, with_slacks)
                for chunk in chunks[1:]
            ]
            # This process takes the first chunk rather than idling.
            results = [_solve_chunk(problem, chunks[0], with_slacks)]
            results += [future.result() for future in futures]

    return _merge(results, units)


def _merge(
    results: list[_ChunkResult], units: int
) -> tuple[np.ndarray, sparse.csr_matrix]:
    radial = np.empty(units)
    for result in results:
        radial[result.units] = result.radial

    lambdas = sparse.coo_matrix(
        (
            np.concatenate([result.lambda_values for result in results]),
            (
                np.concatenate([result.lambda_rows for result in results]),
                np.concatenate([result.lambda_columns for result in results]),
            ),
        ),
        shape=(units, units),
    ).tocsr()
    # The unit's own column can duplicate a model column; tocsr sums them.
    lambdas.sum_duplicates()
    return radial, lambdas


def _assemble(
    problem: _Problem, radial: np.ndarray, lambdas: sparse.csr_matrix
) -> DEAResult:
    x, y = problem.inputs, problem.outputs
    projected_inputs = lambdas @ x
    projected_outputs = lambdas @ y

    if problem.orientation == "input":
        input_slacks = radial[:, np.newaxis] * x - projected_inputs
        output_slacks = projected_outputs - y
    else:
        input_slacks = x - projected_inputs
        output_slacks = projected_outputs - radial[:, np.newaxis] * y
    input_slacks = _clean_slacks(input_slacks, x)
    output_slacks = _clean_slacks(output_slacks, y)

    if problem.orientation == "input":
        targets = Targets(
            inputs=radial[:, np.newaxis] * x - input_slacks,
            outputs=y + output_slacks,
        )
    else:
        targets = Targets(
            inputs=x - input_slacks,
            outputs=radial[:, np.newaxis] * y + output_slacks,
        )
    return DEAResult(
        efficiency=_efficiency(radial, problem.orientation),
        lambdas=lambdas,
        input_slacks=input_slacks,
        output_slacks=output_slacks,
        targets=targets,
        rts=problem.rts,
        orientation=problem.orientation,
    )


def _clean_slacks(slacks: np.ndarray, data: np.ndarray) -> np.ndarray:
    # Slacks within rounding of zero, negative ones included, are reported
    # as exactly zero so that a slack-free projection reads as one.
    noise = SLACK_ZERO * data.mean(axis=0)
    return np.where(slacks > noise, slacks, 0.0)


def _efficiency(radial: np.ndarray, orientation: str) -> np.ndarray:
    scores = radial if orientation == "input" else 1.0 / radial
    # A score a rounding error above one would read as super-efficiency.
    return np.minimum(scores, 1.0)


def _solve_chunk(
    problem: _Problem, units: np.ndarray, with_slacks: bool
) -> _ChunkResult:
    solver = _UnitSolver(problem)
    radial = np.empty(units.size)
    rows: list[np.ndarray] = []
    columns: list[np.ndarray] = []
    values: list[np.ndarray] = []

    for position, unit in enumerate(units):
        radial[position], peers, weights = solver.solve(int(unit), with_slacks)
        rows.append(np.full(peers.size, unit))
        columns.append(peers)
        values.append(weights)

    return _ChunkResult(
        units=units,
        radial=radial,
        lambda_rows=np.concatenate(rows),
        lambda_columns=np.concatenate(columns),
        lambda_values=np.concatenate(values),
    )


class _UnitSolver:
    """One HiGHS model reused for every unit, grown by column generation.

    Column 0 is the radial factor (theta or phi), column 1 the evaluated
    unit's own column, and the rest are reference units.  The own column
    keeps every program feasible while the model holds only a few units.
    Rows are the inputs, the outputs and, except under constant returns, the
    convexity row.
    """

    def __init__(self, problem: _Problem) -> None:
        self._problem = problem
        self._x = problem.scaled_inputs
        self._y = problem.scaled_outputs
        self._input_count = self._x.shape[1]
        self._output_count = self._y.shape[1]
        self._has_convexity = problem.rts != "crs"

        # Pricing matrix: each row is a unit's column of coefficients.
        blocks = [self._x, self._y]
        if self._has_convexity:
            blocks.append(np.ones((self._x.shape[0], 1)))
        self._coefficients = np.hstack(blocks)
        # The slack phase minimises the sum of reference inputs minus outputs,
        # which maximises the plain sum of slacks in original units; dividing
        # by the largest magnitude keeps the objective of order one.
        slack_costs = problem.inputs.sum(axis=1) - problem.outputs.sum(axis=1)
        self._slack_costs = slack_costs / max(np.abs(slack_costs).max(), 1e-300)

        self._dropped = np.zeros(self._x.shape[0], dtype=bool)
        self._in_model = np.zeros(self._x.shape[0], dtype=bool)
        self._members: list[int] = []
        self._member_array = np.zeros(0, dtype=np.int64)
        self._candidates: np.ndarray
        self._candidate_coefficients: np.ndarray
        self._candidate_costs: np.ndarray
        self._dropped_since_compaction = 0
        self._set_candidates(np.arange(self._x.shape[0]))
        self._in_slack_phase = False

        self._highs = self._new_model()
        self._add_units(self._seed_units())
        self._screened_members = 0
        self._screen()

    def solve(
        self, unit: int, with_slacks: bool
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """Return the radial factor, the peers and their weights for a unit."""
        self._load(unit)
        radial, duals, values = self._optimise(unit, slack_phase=False)

        if self._is_off_frontier(radial):
            self._drop_candidate(unit)
        if with_slacks and not self._slacks_are_zero(duals):
            _, _, values = self._optimise(unit, slack_phase=True, radial=radial)
        if len(self._members) >= SCREEN_GROWTH * self._screened_members:
            self._screen()

        return radial, *self._weights(unit, values)

    def _new_model(self) -> highspy.Highs:
        # highspy prints its banner to stdout once per process, on the first
        # construction, before any option can silence it.
        highs = highspy.Highs()
        for option, value in (
            ("output_flag", False),
            ("presolve", "off"),
            ("solver", "simplex"),
            ("threads", 1),
            ("primal_feasibility_tolerance", SOLVER_TOLERANCE),
            ("dual_feasibility_tolerance", SOLVER_TOLERANCE),
        ):
            highs.setOptionValue(option, value)

        row_count = self._coefficients.shape[1]
        lower = np.full(row_count, -highspy.kHighsInf)
        upper = np.full(row_count, highspy.kHighsInf)
        # Right-hand sides that do not depend on the evaluated unit.
        if self._problem.orientation == "input":
            upper[: self._input_count] = 0.0
        else:
            lower[self._input_count : self._input_count + self._output_count] = 0.0
        if self._has_convexity:
            upper[-1] = 1.0
            if self._problem.rts == "vrs":
                lower[-1] = 1.0
        no_entries = np.zeros(row_count, dtype=np.int32)
        highs.addRows(row_count, lower, upper, 0, no_entries, no_entries, np.zeros(0))
        # The radial column, then the own column; both are filled per unit.
        cost = 1.0 if self._problem.orientation == "input" else -1.0
        highs.addCol(cost, 0.0, highspy.kHighsInf, 0, [], [])
        highs.addCol(0.0, 0.0, highspy.kHighsInf, 0, [], [])
        return highs

    def _seed_units(self) -> np.ndarray:
        # Each random positive price vector is maximised by a unit on the
        # frontier; starting with a few of them saves early pricing rounds.
        generator = np.random.default_rng(0)
        input_prices = generator.random((self._input_count, SEED_DIRECTIONS))
        output_prices = generator.random((self._output_count, SEED_DIRECTIONS))
        costs = self._x @ input_prices
        revenues = self._y @ output_prices
        if self._problem.rts == "crs":
            value = revenues / np.maximum(costs, 1e-300)
        else:
            value = revenues - costs
        return np.unique(value.argmax(axis=0))

    def _add_units(self, units: np.ndarray) -> None:
        block = self._coefficients[units]
        positions, rows = np.nonzero(block)
        starts = np.searchsorted(positions, np.arange(units.size))
        if self._in_slack_phase:
            costs = self._slack_costs[units]
        else:
            costs = np.zeros(units.size)
        self._highs.addCols(
            units.size,
            costs,
            np.zeros(units.size),
            np.full(units.size, highspy.kHighsInf),
            rows.size,
            starts.astype(np.int32),
            rows.astype(np.int32),
            block[positions, rows],
        )
        self._in_model[units] = True
        self._members.extend(int(unit) for unit in units)
        self._member_array = np.array(self._members, dtype=np.int64)

    def _load(self, unit: int) -> None:
        """Write the unit into the radial column, own column and rhs."""
        highs = self._highs
        own = self._coefficients[unit]
        for row, value in enumerate(own):
            highs.changeCoeff(row, 1, value)

        inputs = range(self._input_count)
        outputs = range(self._input_count, self._input_count + self._output_count)
        if self._problem.orientation == "input":
            for row in inputs:
                highs.changeCoeff(row, 0, -own[row])
            for row in outputs:
                highs.changeRowBounds(row, own[row], highspy.kHighsInf)
        else:
            for row in outputs:
                highs.changeCoeff(row, 0, -own[row])
            for row in inputs:
                highs.changeRowBounds(row, -highspy.kHighsInf, own[row])
        if self._in_slack_phase:
            highs.changeColCost(1, self._slack_costs[unit])

    def _optimise(
        self, unit: int, *, slack_phase: bool, radial: float = 0.0
    ) -> tuple[float, np.ndarray, np.ndarray]:
        self._set_phase(unit, slack_phase, radial)
        while True:
            solution = self._run(unit, slack_phase, radial)
            duals = np.array(solution.row_dual)
            entering = self._price(duals, slack_phase)
            if entering.size == 0:
                break
            self._add_units(entering)

        values = np.array(solution.col_value)
        return values[0], duals, values

    def _set_phase(self, unit: int, slack_phase: bool, radial: float) -> None:
        highs = self._highs
        if slack_phase != self._in_slack_phase:
            column_count = 2 + len(self._members)
            if slack_phase:
                costs = np.concatenate(
                    (
                        [0.0, self._slack_costs[unit]],
                        self._slack_costs[self._member_array],
                    )
                )
            else:
                costs = np.zeros(column_count)
                costs[0] = 1.0 if self._problem.orientation == "input" else -1.0
            highs.changeColsCost(
                column_count, np.arange(column_count, dtype=np.int32), costs
            )
            self._in_slack_phase = slack_phase
        if slack_phase:
            highs.changeColBounds(0, radial, radial)
        else:
            highs.changeColBounds(0, 0.0, highspy.kHighsInf)

    def _run(
        self, unit: int, slack_phase: bool, radial: float
    ) -> highspy.HighsSolution:
        highs = self._highs
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            # A warm start can stall on a numerically awkward basis; a cold
            # start from scratch is the standard remedy.
            highs.clearSolver()
            highs.run()
        if slack_phase and highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            self._relax_radial(unit, radial)
            highs.run()
        status = highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(
                f"HiGHS could not solve the program of unit {unit}: "
                f"{highs.modelStatusToString(status)}."
            )
        return highs.getSolution()

    def _relax_radial(self, unit: int, radial: float) -> None:
        # The radial optimum is feasible only to the solver tolerance, so
        # holding it exactly can, rarely, leave no feasible point.  Loosening
        # it lets the slack sum grow by the bound's dual times the band, which
        # is why this is a fallback and is logged.
        band = SLACK_PHASE_BAND * max(1.0, radial)
        logger.warning(
            "DEA slack phase of unit %s infeasible at the radial optimum %s; "
            "relaxed by %s.",
            unit,
            radial,
            band,
        )
        if self._problem.orientation == "input":
            self._highs.changeColBounds(0, radial, radial + band)
        else:
            self._highs.changeColBounds(0, radial - band, radial)

    def _price(self, duals: np.ndarray, slack_phase: bool) -> np.ndarray:
        candidates = self._candidates
        reduced = -(self._candidate_coefficients @ duals)
        if slack_phase:
            reduced += self._candidate_costs
        attractive = np.nonzero(reduced < -PRICING_TOLERANCE)[0]
        attractive = attractive[~self._in_model[candidates[attractive]]]
        if attractive.size > COLUMNS_PER_ROUND:
            best = np.argpartition(reduced[attractive], COLUMNS_PER_ROUND)
            attractive = attractive[best[:COLUMNS_PER_ROUND]]
        return candidates[attractive]

    def _is_off_frontier(self, radial: float) -> bool:
        if self._problem.orientation == "input":
            return radial < 1.0 - FRONTIER_MARGIN
        return radial > 1.0 + FRONTIER_MARGIN

    def _drop_candidate(self, unit: int) -> None:
        self._dropped[unit] = True
        self._dropped_since_compaction += 1
        # Compacting costs a copy of the candidate block, so it waits until
        # a tenth of the block is dead weight.
        if self._dropped_since_compaction * 10 >= self._candidates.size:
            self._set_candidates(self._candidates[~self._dropped[self._candidates]])

    def _screen(self) -> None:
        """Drop candidates that a model member dominates outright.

        A unit using no less of any input and producing no more of any
        output than another unit, and differing from it, is not an extreme
        point of the technology under any returns to scale, so its column
        never needs pricing.  Only members added since the last screen are
        compared, in blocks that bound the memory of the comparison.
        """
        dominators = self._coefficients[self._member_array[self._screened_members :]]
        self._screened_members = len(self._members)
        inputs = slice(0, self._input_count)
        outputs = slice(self._input_count, self._input_count + self._output_count)
        candidates = self._candidates[~self._dropped[self._candidates]]
        for start in range(0, candidates.size, SCREEN_BLOCK):
            block = candidates[start : start + SCREEN_BLOCK]
            data = self._coefficients[block][:, np.newaxis, :]
            no_more_input = (
                dominators[np.newaxis, :, inputs] <= data[..., inputs]
            ).all(2)
            no_less_output = (
                dominators[np.newaxis, :, outputs] >= data[..., outputs]
            ).all(2)
            identical = (dominators[np.newaxis] == data).all(2)
            dominated = (no_more_input & no_less_output & ~identical).any(axis=1)
            self._dropped[block[dominated]] = True
        self._set_candidates(candidates[~self._dropped[candidates]])

    def _set_candidates(self, candidates: np.ndarray) -> None:
        self._candidates = candidates
        self._candidate_coefficients = self._coefficients[candidates]
        self._candidate_costs = self._slack_costs[candidates]
        self._dropped_since_compaction = 0

    def _slacks_are_zero(self, duals: np.ndarray) -> bool:
        rows = self._input_count + self._output_count
        return bool((np.abs(duals[:rows]) > DUAL_ZERO).all())

    def _weights(self, unit: int, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        peers = np.concatenate(([unit], self._member_array))
        weights = values[1:]
        keep = weights > LAMBDA_ZERO
        return peers[keep], weights[keep]
