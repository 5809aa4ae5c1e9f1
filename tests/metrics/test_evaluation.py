"""A full evaluation: appeals, then snapshots, resources, the run and its results.

Chengdu's districts are compared for the second quarter of 2025. Five have
resource records and answered appeals; Longquanyi has resources but answered
nothing, and every other district has no resource record: they are left
out, and the run says why.
"""

from collections.abc import Callable
from datetime import date

import numpy as np
import pytest
import time_machine
from django.utils import timezone
from scipy.optimize import linprog

from commons.regions.models import Level, Region
from metrics import services, tasks
from metrics.models import (
    EvaluationRun,
    Failure,
    Gap,
    KpiSnapshot,
    PeriodKind,
    RunStage,
    RunStatus,
    UnitResult,
)
from metrics.periods import Period
from tests.metrics.conftest import CHENGDU, DISTRICTS, Q2, evaluate

SCORE_TOLERANCE = 1e-6


def naive_ccr_input(inputs: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    """One full linear program per unit: min theta, X'l <= theta x, Y'l >= y."""
    units = inputs.shape[0]
    scores = []
    for unit in range(units):
        cost = np.r_[1.0, np.zeros(units)]
        upper = np.vstack(
            (
                np.c_[-inputs[unit][:, None], inputs.T],
                np.c_[np.zeros((outputs.shape[1], 1)), -outputs.T],
            )
        )
        bound = np.r_[np.zeros(inputs.shape[1]), -outputs[unit]]
        solution = linprog(cost, A_ub=upper, b_ub=bound, method="highs")
        scores.append(solution.x[0])
    return np.array(scores)


def test_a_run_scores_every_district_with_resources_and_answers(chengdu) -> None:
    run = evaluate()

    assert run.status == RunStatus.DONE
    scored = list(run.results.values_list("region__code", flat=True))
    assert sorted(scored) == sorted(code for code in DISTRICTS if code != "510112")
    reasons = {entry["code"]: entry["reason"] for entry in run.data["excluded"]}
    assert reasons["510112"] == "no_outputs"
    assert reasons["510113"] == "no_resources"


def test_a_run_stores_the_exact_matrices_it_solved(chengdu) -> None:
    run = evaluate()

    data = run.data
    position = {unit["code"]: index for index, unit in enumerate(data["units"])}
    # Jinjiang's quarterly record is used as it stands.
    assert data["inputs"][position["510104"]] == [11.0, 300_000.0]
    # Qingyang's yearly budget counts for the quarter's 91 of 365 days.
    assert data["inputs"][position["510105"]] == pytest.approx(
        [20.0, 2_000_000 * 91 / 365]
    )
    assert data["outputs"][position["510104"]] == [8.0, 6.0]
    assert data["outputs"][position["510108"]] == [3.0, 1.0]
    assert data["coverage"][position["510106"]] == 95.0
    assert run.parameters["orientation"] == "input"
    assert run.code_version.startswith("method ")


def test_a_run_takes_the_monthly_snapshots_it_needs_and_keeps_them(chengdu) -> None:
    evaluate()

    snapshots = KpiSnapshot.objects.filter(
        region__code="510104", period_kind=PeriodKind.MONTH, department__isnull=True
    )
    assert sorted(snapshots.values_list("period_start", flat=True)) == [
        date(2025, 4, 1),
        date(2025, 5, 1),
        date(2025, 6, 1),
    ]
    assert sum(snapshots.values_list("resolved", flat=True)) == 8


def test_efficiencies_lie_in_zero_to_one_and_decompose_into_pure_and_scale(
    chengdu,
) -> None:
    run = evaluate()

    results = list(run.results.all())
    for result in results:
        assert 0 < result.technical <= 1
        assert 0 < result.pure_technical <= 1
        assert 0 < result.scale <= 1
        assert result.technical == pytest.approx(
            result.pure_technical * result.scale, abs=SCORE_TOLERANCE
        )
        assert result.returns_to_scale in {"increasing", "constant", "decreasing"}
    assert max(result.technical for result in results) == pytest.approx(1.0)


def test_technical_efficiency_matches_one_full_program_per_district(chengdu) -> None:
    run = evaluate()

    expected = naive_ccr_input(
        np.array(run.data["inputs"]), np.array(run.data["outputs"])
    )
    stored = run.results.order_by("position").values_list("technical", flat=True)
    assert list(stored) == pytest.approx(list(expected), abs=SCORE_TOLERANCE)


def test_each_gap_is_the_larger_of_the_scale_and_the_pure_technical_loss(
    chengdu,
) -> None:
    run = evaluate()

    for result in run.results.all():
        if result.technical >= 1 - SCORE_TOLERANCE:
            assert result.gap == Gap.NONE
        elif result.scale < result.pure_technical:
            assert result.gap == Gap.SCALE
        else:
            assert result.gap == Gap.TECHNICAL
    assert Gap.NONE in run.results.values_list("gap", flat=True)


def test_peers_are_efficient_districts_of_the_run_and_targets_need_less(
    chengdu,
) -> None:
    run = evaluate()

    results = {
        result.region.code: result for result in run.results.select_related("region")
    }
    for code, result in results.items():
        assert result.peers, code
        for peer in result.peers:
            assert results[peer["code"]].pure_technical == pytest.approx(1.0)
        weights = sum(peer["weight"] for peer in result.peers)
        assert weights == pytest.approx(1.0)  # variable returns: convex weights
        position = result.position
        for index, name in enumerate(run.data["input_names"]):
            assert result.targets["inputs"][name] <= run.data["inputs"][position][
                index
            ] * (1 + 1e-9)


def test_a_stored_run_solves_again_to_the_same_scores(chengdu) -> None:
    run = evaluate()

    outcome = services.reproduce(run)

    assert outcome.matches
    assert outcome.largest_difference <= SCORE_TOLERANCE
    assert outcome.stored_code_version == run.code_version


def test_reproduction_notices_a_stored_score_that_was_altered(chengdu) -> None:
    run = evaluate()
    UnitResult.objects.filter(run=run, position=0).update(technical=0.123)

    outcome = services.reproduce(run)

    assert not outcome.matches
    assert outcome.largest_difference > 0.01


def test_the_output_orientation_scores_the_same_frontier_units(chengdu) -> None:
    run = evaluate(orientation="output")

    efficient = set(
        run.results.filter(pure_technical__gte=1 - SCORE_TOLERANCE).values_list(
            "region__code", flat=True
        )
    )
    assert run.status == RunStatus.DONE
    assert efficient
    assert services.reproduce(run).matches


def test_the_second_stage_estimates_a_slope_with_its_interval(chengdu) -> None:
    run = evaluate()

    fits = {fit.dependent: fit for fit in run.second_stage.all()}
    assert set(fits) == {"technical", "pure_technical"}
    for fit in fits.values():
        assert fit.units == 5
        assert fit.ci_low < fit.slope < fit.ci_high
        assert 0 <= fit.p_value <= 1


def test_a_run_reports_its_progress_while_it_works(chengdu, monkeypatch) -> None:
    seen: list[tuple[str, int]] = []
    original = services.set_progress

    def record(run: EvaluationRun, stage: str, progress: float) -> None:
        original(run, stage, progress)
        stored = EvaluationRun.objects.get(pk=run.pk)
        seen.append((stored.stage, stored.progress))

    monkeypatch.setattr(services, "set_progress", record)

    run = evaluate()

    stages = [stage for stage, _progress in seen]
    assert stages[0] == RunStage.COLLECTING
    assert RunStage.SOLVING in stages and RunStage.STORING in stages
    progress = [value for _stage, value in seen]
    assert progress == sorted(progress)
    assert (run.stage, run.progress) == (RunStage.FINISHED, 100)


def test_a_run_without_any_usable_unit_fails_and_says_why(clock, sichuan) -> None:
    run = evaluate()

    assert run.status == RunStatus.FAILED
    assert run.failure == Failure.NO_UNITS
    assert not run.results.exists()


def test_running_a_finished_run_again_changes_nothing(chengdu) -> None:
    run = evaluate()
    finished_at = run.finished_at

    again = services.run_evaluation(run.pk)

    assert again.finished_at == finished_at
    assert again.results.count() == 5


def test_a_run_abandoned_by_its_worker_is_claimed_again(
    chengdu, clock: time_machine.Traveller
) -> None:
    run = services.create_run(
        services.EvaluationRequest(scope=Region.objects.get(code=CHENGDU), period=Q2)
    )
    EvaluationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    assert services.run_evaluation(run.pk).status == RunStatus.RUNNING

    clock.shift(services.RUN_STALE_AFTER * 2)

    assert services.run_evaluation(run.pk).status == RunStatus.DONE


@pytest.mark.parametrize(
    ("level", "period"),
    [
        (Level.PREFECTURE, Q2),
        (Level.COUNTY, Period(date(2025, 4, 2), date(2025, 6, 30))),
        (Level.COUNTY, Period(date(2025, 7, 1), date(2025, 7, 31))),
    ],
)
def test_a_run_must_compare_lower_units_over_months_that_are_over(
    clock, sichuan, level: int, period: Period
) -> None:
    request = services.EvaluationRequest(
        scope=Region.objects.get(code=CHENGDU), period=period, level=level
    )

    with pytest.raises(services.EvaluationRefused):
        services.create_run(request)

    assert not EvaluationRun.objects.exists()


def test_the_quarterly_task_evaluates_the_province_s_counties_once(chengdu) -> None:
    first = tasks.evaluate_last_quarter.apply().get()
    second = tasks.evaluate_last_quarter.apply().get()

    run = EvaluationRun.objects.get(pk=first)
    assert second is None
    assert (run.level, run.scope.level) == (Level.COUNTY, Level.PROVINCE)
    assert (run.period_start, run.period_end) == (Q2.start, Q2.end)
    assert run.results.count() == 5


def test_the_on_demand_task_runs_a_waiting_run(
    chengdu, django_capture_on_commit_callbacks: Callable
) -> None:
    request = services.EvaluationRequest(
        scope=Region.objects.get(code=CHENGDU), period=Q2
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_evaluation(request)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE


def test_a_run_no_worker_picked_up_is_queued_again(
    chengdu, clock: time_machine.Traveller
) -> None:
    run = services.create_run(
        services.EvaluationRequest(scope=Region.objects.get(code=CHENGDU), period=Q2)
    )
    assert services.resume_lost_runs() == 0

    clock.shift(services.RUN_LOST_AFTER * 2)

    assert tasks.resume_lost_runs.apply().get() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
