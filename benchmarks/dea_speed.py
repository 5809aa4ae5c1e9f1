"""Time metrics.dea against one full linprog per unit, and at Sichuan's size.

Run from the repository root:

    .venv/bin/python benchmarks/dea_speed.py

Every run is BCC (variable returns), input oriented, on synthetic data shaped
like village records: three inputs and three outputs drawn from a noisy
Cobb-Douglas frontier with a seeded generator.  The naive loop solves one
full program per unit with scipy's linprog (HiGHS) and computes scores only;
metrics.dea also runs the slack phase, so the comparison favours the naive
loop.  Each metrics.dea run happens in a fresh process so that its peak
resident memory (getrusage maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

from metrics import dea

COMPARED_SIZES = (500, 1_000, 2_000, 5_000)
# Above this size the naive loop is timed on a random sample of units and
# scaled up linearly: the full loop at 5,000 units would take minutes.
NAIVE_FULL_LIMIT = 2_000
NAIVE_SAMPLE = 200
# Villages and communities of Sichuan.
VILLAGES = 34_412
# Other people share this machine, so each compared run of ours is repeated
# and the fastest kept, as timeit does; the 34,412-unit runs and the naive
# loop run once.
REPEATS = 3
# A run that has not finished after this many seconds is stopped.
RUN_TIMEOUT = 900
SEED = 20_240_601


def village_data(units: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Staff, budget and floor area against three service counts."""
    generator = np.random.default_rng(seed)
    size = generator.normal(0.0, 0.6, units)[:, np.newaxis]
    inputs = np.exp(size + generator.normal(0.0, 0.35, (units, 3)))
    elasticities = np.array([[0.3, 0.4, 0.2], [0.2, 0.5, 0.2], [0.4, 0.2, 0.3]])
    inefficiency = np.abs(generator.normal(0.0, 0.3, (units, 1)))
    noise = generator.normal(0.0, 0.15, (units, 3))
    outputs = np.exp(np.log(inputs) @ elasticities.T - inefficiency + noise)
    return inputs * [6.0, 4.0e5, 800.0], outputs * [1200.0, 300.0, 50.0]


def naive_scores(
    inputs: np.ndarray, outputs: np.ndarray, units: np.ndarray
) -> np.ndarray:
    """BCC input scores from one full linprog per unit, rebuilt every time."""
    count = inputs.shape[0]
    cost = np.zeros(count + 1)
    cost[0] = 1.0
    convexity = np.ones((1, count + 1))
    convexity[0, 0] = 0.0
    bounds = [(None, None)] + [(0.0, None)] * count
    scores = np.empty(units.size)

    for position, unit in enumerate(units):
        upper_rows = np.vstack(
            [
                np.hstack([-inputs[unit][:, np.newaxis], inputs.T]),
                np.hstack([np.zeros((outputs.shape[1], 1)), -outputs.T]),
            ]
        )
        upper_rhs = np.concatenate([np.zeros(inputs.shape[1]), -outputs[unit]])
        program = linprog(
            cost,
            A_ub=upper_rows,
            b_ub=upper_rhs,
            A_eq=convexity,
            b_eq=[1.0],
            bounds=bounds,
            method="highs",
        )
        scores[position] = program.x[0]
    return scores


def run_ours(units: int, workers: int, scores_path: str) -> None:
    """Child-process entry: solve, save the scores, print time and memory."""
    inputs, outputs = village_data(units)

    started = time.perf_counter()
    result = dea.solve(inputs, outputs, rts="vrs", orientation="input", workers=workers)
    elapsed = time.perf_counter() - started

    np.save(scores_path, result.efficiency)
    report = {
        "seconds": elapsed,
        # Linux reports maxrss in kilobytes.
        "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    print(json.dumps(report))


def measure_ours(units: int, workers: int) -> tuple[dict[str, float], np.ndarray]:
    """The fastest of the repeated runs, each in a fresh process."""
    repeats = REPEATS if units in COMPARED_SIZES else 1
    runs = [run_in_child(units, workers) for _ in range(repeats)]
    return min(runs, key=lambda run: run[0]["seconds"])


def run_in_child(units: int, workers: int) -> tuple[dict[str, float], np.ndarray]:
    with tempfile.TemporaryDirectory() as directory:
        scores_path = os.path.join(directory, "scores.npy")
        completed = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--ours",
                str(units),
                str(workers),
                scores_path,
            ],
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=True,
        )
        report = json.loads(completed.stdout.strip().splitlines()[-1])
        return report, np.load(scores_path)


def measure_naive(units: int) -> tuple[float, np.ndarray, np.ndarray, bool]:
    """Seconds for the whole naive loop, the units timed and their scores."""
    inputs, outputs = village_data(units)
    estimated = units > NAIVE_FULL_LIMIT
    if estimated:
        generator = np.random.default_rng(SEED)
        timed = np.sort(generator.choice(units, NAIVE_SAMPLE, replace=False))
    else:
        timed = np.arange(units)

    started = time.perf_counter()
    scores = naive_scores(inputs, outputs, timed)
    elapsed = time.perf_counter() - started
    return elapsed * units / timed.size, timed, scores, estimated


def main() -> None:
    print(
        f"BCC input-oriented DEA, 3 inputs x 3 outputs, seed {SEED}, "
        f"{os.cpu_count()} CPUs"
    )
    header = (
        f"{'units':>7} | {'naive s':>9} | {'ours 1w s':>9} | {'speed-up':>8} | "
        f"{'ours 2w s':>9} | {'speed-up':>8} | {'max |dscore|':>12} | "
        f"{'peak RSS MB 1w':>14} | {'peak RSS MB 2w (main+worker)':>28}"
    )
    print(header)
    print("-" * len(header))

    notes = []
    for units in (*COMPARED_SIZES, VILLAGES):
        one, one_scores = measure_ours(units, workers=1)
        two, two_scores = measure_ours(units, workers=2)
        if units in COMPARED_SIZES:
            naive_seconds, timed, naive, estimated = measure_naive(units)
            difference = max(
                np.abs(one_scores[timed] - naive).max(),
                np.abs(two_scores[timed] - naive).max(),
            )
            naive_cell = f"{naive_seconds:8.1f}" + ("*" if estimated else " ")
            first_ratio = f"{naive_seconds / one['seconds']:7.1f}x"
            second_ratio = f"{naive_seconds / two['seconds']:7.1f}x"
            difference_cell = f"{difference:12.1e}"
            if estimated:
                notes.append(
                    f"* naive time at {units} units estimated from {timed.size} "
                    f"randomly chosen units, scaled by {units / timed.size:.1f}; "
                    "scores compared on those units."
                )
        else:
            naive_cell, first_ratio, second_ratio = (
                "-".rjust(9),
                "-".rjust(8),
                "-".rjust(8),
            )
            difference_cell = f"{np.abs(one_scores - two_scores).max():12.1e}"
            notes.append(
                f"At {units} units max |dscore| compares the 1- and 2-worker runs."
            )
        print(
            f"{units:>7} | {naive_cell} | {one['seconds']:9.2f} | {first_ratio} | "
            f"{two['seconds']:9.2f} | {second_ratio} | {difference_cell} | "
            f"{one['main_mb']:14.0f} | "
            f"{two['main_mb']:13.0f} + {two['worker_mb']:12.0f}"
        )

    for note in notes:
        print(note)
    print(
        f"ours: fastest of {REPEATS} runs up to {COMPARED_SIZES[-1]} units, one run "
        "above; it includes the slack phase, the naive loop computes scores only."
    )
    print(
        f"With 2 workers, runs below {2 * dea.PARALLEL_MINIMUM_UNITS} units stay in "
        "one process; peak RSS is getrusage maxrss of the solving process and of "
        "its worker."
    )


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--ours",
        nargs=3,
        metavar=("UNITS", "WORKERS", "SCORES_PATH"),
        help="internal: one metrics.dea run in this process",
    )
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_arguments()
    if arguments.ours:
        units, workers, scores_path = arguments.ours
        run_ours(int(units), int(workers), scores_path)
    else:
        main()
