"""The second stage: efficiency regressed on digital infrastructure coverage."""

import numpy as np
import pytest
from scipy import stats

from metrics import regression
from metrics.models import ResourceRecord, SkipReason
from tests.metrics.conftest import evaluate


def test_ols_matches_a_fit_worked_by_hand() -> None:
    # x = 0..3, y = 1, 3, 2, 5: Sxx = 5, Sxy = 5.5, so b = 1.1 and a = 2.75 -
    # 1.1 x 1.5 = 1.1. Residuals -0.1, 0.8, -1.3, 0.6 give SSR = 2.7, s^2 =
    # 2.7 / 2 and se(b) = sqrt(1.35 / 5) = sqrt(0.27). t(0.975, 2) =
    # 4.302653; SST = 8.75, R^2 = 1 - 2.7 / 8.75.
    fit = regression.ols([1, 3, 2, 5], [0, 1, 2, 3])

    standard_error = np.sqrt(0.27)
    assert (fit.slope, fit.intercept) == (pytest.approx(1.1), pytest.approx(1.1))
    assert fit.standard_error == pytest.approx(standard_error)
    assert fit.ci_low == pytest.approx(1.1 - 4.302653 * standard_error, abs=1e-6)
    assert fit.ci_high == pytest.approx(1.1 + 4.302653 * standard_error, abs=1e-6)
    assert fit.r_squared == pytest.approx(1 - 2.7 / 8.75)
    assert fit.units == 4


def test_ols_agrees_with_scipy_on_random_data() -> None:
    generator = np.random.default_rng(7)
    coverage = generator.uniform(20, 100, 40)
    scores = np.clip(0.4 + 0.004 * coverage + generator.normal(0, 0.08, 40), 0.05, 1)

    fit = regression.ols(scores, coverage)
    reference = stats.linregress(coverage, scores)

    assert fit.slope == pytest.approx(reference.slope)
    assert fit.intercept == pytest.approx(reference.intercept)
    assert fit.standard_error == pytest.approx(reference.stderr)
    assert fit.p_value == pytest.approx(reference.pvalue)
    assert fit.r_squared == pytest.approx(reference.rvalue**2)


@pytest.mark.parametrize(
    ("scores", "coverage", "reason"),
    [
        ([0.5, 0.9], [10, 80], regression.TOO_FEW_UNITS),
        ([0.5, 0.9, 0.7], [60, 60, 60], regression.NO_VARIATION),
    ],
)
def test_ols_gives_no_estimate_without_enough_variation(
    scores: list[float], coverage: list[float], reason: str
) -> None:
    with pytest.raises(regression.NotEstimable) as refusal:
        regression.ols(scores, coverage)

    assert refusal.value.reason == reason


def test_a_run_with_the_same_coverage_everywhere_stores_why_it_has_no_estimate(
    chengdu,
) -> None:
    ResourceRecord.objects.update(digital_coverage=50)

    run = evaluate()

    fits = list(run.second_stage.all())
    assert len(fits) == 2
    assert {fit.skipped for fit in fits} == {SkipReason.NO_VARIATION}
    assert all(fit.slope is None for fit in fits)
