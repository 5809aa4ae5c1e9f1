"""Ordinary least squares with one regressor, its standard error and interval.

The second stage of an evaluation asks whether units with better digital
infrastructure score higher. The model is score = a + b * coverage + error
with independent, equally spread errors; the interval for b uses Student's
t with n - 2 degrees of freedom. DEA scores are bounded by 1 and depend on
one another through the frontier, so the interval is a guide, not an exact
test (Simar and Wilson's bootstrap would be the exact one).
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

CONFIDENCE = 0.95
MINIMUM_UNITS = 3


class NotEstimable(ValueError):
    """The data cannot give an estimate; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


TOO_FEW_UNITS = "too_few_units"
NO_VARIATION = "no_variation"


@dataclass(frozen=True)
class Fit:
    units: int
    intercept: float
    slope: float
    standard_error: float
    ci_low: float
    ci_high: float
    p_value: float
    r_squared: float


def ols(scores: ArrayLike, regressor: ArrayLike) -> Fit:
    """Regress ``scores`` on ``regressor`` with an intercept."""
    y = np.asarray(scores, dtype=float)
    x = np.asarray(regressor, dtype=float)
    if y.shape != x.shape or y.ndim != 1:
        raise ValueError("scores and regressor must be two lists of equal length.")
    if y.size < MINIMUM_UNITS:
        raise NotEstimable(TOO_FEW_UNITS)
    centred = x - x.mean()
    spread = float(centred @ centred)
    if spread <= 1e-12 * max(1.0, float(x @ x)):
        raise NotEstimable(NO_VARIATION)

    slope = float(centred @ (y - y.mean())) / spread
    intercept = float(y.mean() - slope * x.mean())
    residuals = y - intercept - slope * x
    degrees = y.size - 2
    residual_variance = float(residuals @ residuals) / degrees
    standard_error = float(np.sqrt(residual_variance / spread))

    critical = float(stats.t.ppf(0.5 + CONFIDENCE / 2, degrees))
    total = float((y - y.mean()) @ (y - y.mean()))
    return Fit(
        units=int(y.size),
        intercept=intercept,
        slope=slope,
        standard_error=standard_error,
        ci_low=slope - critical * standard_error,
        ci_high=slope + critical * standard_error,
        p_value=p_value(slope, standard_error, degrees),
        r_squared=1.0 - float(residuals @ residuals) / total if total else 1.0,
    )


def p_value(slope: float, standard_error: float, degrees: int) -> float:
    """Two-sided p-value of the hypothesis that the slope is zero."""
    if standard_error == 0.0:
        # A perfect fit: any nonzero slope is certain, a zero one is not.
        return 0.0 if slope != 0.0 else 1.0
    return float(2.0 * stats.t.sf(abs(slope / standard_error), degrees))
