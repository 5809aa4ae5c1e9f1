"""KPIs of a region's (or a department's) appeals in a period.

Everything is computed by aggregate queries; no appeal is loaded into
Python. The appeals of a period are those filed in it at a location within
the region (and, for a department, sent to that department), followed to
whatever happened to them by the time of computing. The volume counts every
appeal filed; every other KPI is over the handled appeals, those not joined
to an earlier appeal about the same problem, whose outcome is the earlier
appeal's.

Percentiles are the continuous ones (linear interpolation between the two
nearest ranks, as PostgreSQL's percentile_cont). On PostgreSQL they are an
ordered-set aggregate inside the one aggregate query. SQLite has no such
aggregate, so there the database sorts the durations and each percentile
reads the (at most) two values around its rank with LIMIT and OFFSET: one
small query a percentile, never the whole column.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Aggregate, Avg, Count, F, FloatField, Func, Q, QuerySet

from appeals.models import Appeal
from commons.regions.models import Department, Region
from commons.registry.models import Resident
from metrics import inclusion
from metrics.periods import Period

PER_RESIDENTS = 10_000
MEDIAN, P90 = 0.5, 0.9
# Durations are measured from filing to these moments.
DURATIONS = {
    "first_response": "first_responded_at",
    "resolution": "resolved_at",
}


class HoursBetween(Func):
    """Hours from the second timestamp to the first, as a float.

    Written for the platform's two databases, PostgreSQL and SQLite.
    """

    output_field = FloatField()
    arity = 2

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # percentile_cont orders double precision, not numeric.
        return self.as_sql(
            compiler,
            connection,
            template=(
                "(CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision)"
                " / 3600.0)"
            ),
            arg_joiner=" - ",
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 24.0)",
            arg_joiner=") - julianday(",
            **extra,
        )


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile, an ordered-set aggregate."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        if not 0.0 <= fraction <= 1.0:
            raise ValueError(f"A percentile fraction lies in [0, 1], not {fraction}.")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


@dataclass(frozen=True)
class Scope:
    region: Region
    period: Period
    department: Department | None = None


@dataclass(frozen=True)
class Kpis:
    """The KPI values of one scope; the fields of ``KpiSnapshot`` by name."""

    population: int
    vulnerable_population: int
    appeals: int
    handled: int
    appeals_per_10k: float | None
    first_response_median_hours: float | None
    first_response_p90_hours: float | None
    first_response_mean_hours: float | None
    resolution_median_hours: float | None
    resolution_p90_hours: float | None
    resolution_mean_hours: float | None
    resolved: int
    resolved_on_time: int
    resolution_rate: float | None
    on_time_rate: float | None
    answered_ever: int
    reopened: int
    reopen_rate: float | None
    ratings: int
    satisfaction_index: float | None
    served_vulnerable: int
    minority_language: int
    minority_language_answered: int
    vulnerable_appeals: int
    vulnerable_assisted: int
    inclusion_parity: float | None
    inclusion_language: float | None
    inclusion_assisted: float | None
    inclusion_score: float | None


def appeals_in(scope: Scope) -> QuerySet[Appeal]:
    start, end = scope.period.instants()
    appeals = Appeal.objects.filter(
        location__tree_code__startswith=scope.region.tree_code,
        created_at__gte=start,
        created_at__lt=end,
    )
    if scope.department is not None:
        appeals = appeals.filter(department=scope.department)
    return appeals


def compute(scope: Scope) -> Kpis:
    """Every KPI of the scope: two queries on PostgreSQL, six on SQLite."""
    appeals = appeals_in(scope)
    on_postgresql = connections[appeals.db].vendor == "postgresql"

    aggregates = {**counts(scope.period), **means()}
    if on_postgresql:
        aggregates.update(percentile_aggregates())
    totals = appeals.aggregate(**aggregates)
    if not on_postgresql:
        totals.update(sorted_percentiles(appeals, totals))
    people = residents_of(scope.region, scope.period)

    return assemble(totals, people)


def handled() -> Q:
    return Q(duplicate_of__isnull=True)


def counts(period: Period) -> dict[str, Aggregate]:
    is_handled = handled()
    resolved = Q(resolved_at__isnull=False)
    on_time = resolved & Q(resolved_at__lte=F("resolution_due"))
    vulnerable = inclusion.vulnerable(period.end, prefix="resident__")
    return {
        "appeals": Count("pk"),
        "handled": Count("pk", filter=is_handled),
        "first_responded": Count(
            "pk", filter=is_handled & Q(first_responded_at__isnull=False)
        ),
        "resolved": Count("pk", filter=is_handled & resolved),
        "resolved_on_time": Count("pk", filter=is_handled & on_time),
        "answered_ever": Count(
            "pk", filter=is_handled & (resolved | Q(reopen_count__gt=0))
        ),
        "reopened": Count("pk", filter=is_handled & Q(reopen_count__gt=0)),
        "ratings": Count("rating", filter=is_handled),
        "rating_mean": Avg("rating__score", filter=is_handled),
        "served_vulnerable": Count("pk", filter=is_handled & resolved & vulnerable),
        "minority_language": Count(
            "pk", filter=is_handled & inclusion.minority_language()
        ),
        "minority_language_answered": Count(
            "pk",
            filter=is_handled
            & inclusion.minority_language()
            & inclusion.answered_in_language(),
        ),
        "vulnerable_appeals": Count("pk", filter=is_handled & vulnerable),
        "vulnerable_assisted": Count(
            "pk", filter=is_handled & vulnerable & inclusion.assisted()
        ),
    }


def means() -> dict[str, Aggregate]:
    return {
        f"{name}_mean_hours": Avg(HoursBetween(field, "created_at"), filter=handled())
        for name, field in DURATIONS.items()
    }


def percentile_aggregates() -> dict[str, Aggregate]:
    aggregates = {}
    for name, field in DURATIONS.items():
        hours = HoursBetween(field, "created_at")
        for label, fraction in (("median", MEDIAN), ("p90", P90)):
            aggregates[f"{name}_{label}_hours"] = PercentileCont(
                hours, fraction, filter=handled()
            )
    return aggregates


def sorted_percentiles(
    appeals: QuerySet[Appeal], totals: dict[str, Any]
) -> dict[str, float | None]:
    """Median and 90th percentile from durations sorted by the database."""
    sizes = {
        "first_response": totals["first_responded"],
        "resolution": totals["resolved"],
    }
    values: dict[str, float | None] = {}
    for name, field in DURATIONS.items():
        ordered = (
            appeals.filter(handled(), **{f"{field}__isnull": False})
            .annotate(hours=HoursBetween(field, "created_at"))
            .order_by("hours")
            .values_list("hours", flat=True)
        )
        for label, fraction in (("median", MEDIAN), ("p90", P90)):
            values[f"{name}_{label}_hours"] = percentile_at(
                ordered, sizes[name], fraction
            )
    return values


def percentile_at(ordered: QuerySet, size: int, fraction: float) -> float | None:
    """The continuous percentile of a sorted column of ``size`` values."""
    if size == 0:
        return None
    rank = fraction * (size - 1)
    below = math.floor(rank)
    neighbours = list(ordered[below : below + 2])
    if not neighbours:
        # Appeals changed between the count and this read; the next
        # snapshot will have the value.
        return None
    if len(neighbours) == 1 or rank == below:
        return neighbours[0]
    return neighbours[0] + (rank - below) * (neighbours[1] - neighbours[0])


def residents_of(region: Region, period: Period) -> dict[str, int]:
    """Registered residents of the region, and how many are vulnerable."""
    return Resident.objects.filter(
        home_community__tree_code__startswith=region.tree_code
    ).aggregate(
        population=Count("pk"),
        vulnerable_population=Count("pk", filter=inclusion.vulnerable(period.end)),
    )


def assemble(totals: dict[str, Any], people: dict[str, int]) -> Kpis:
    population = people["population"]
    rating_mean = totals["rating_mean"]
    part = inclusion.score(
        served=totals["resolved"],
        served_vulnerable=totals["served_vulnerable"],
        population=population,
        vulnerable_population=people["vulnerable_population"],
        minority_language=totals["minority_language"],
        minority_language_answered=totals["minority_language_answered"],
        vulnerable_appeals=totals["vulnerable_appeals"],
        vulnerable_assisted=totals["vulnerable_assisted"],
    )
    return Kpis(
        population=population,
        vulnerable_population=people["vulnerable_population"],
        appeals=totals["appeals"],
        handled=totals["handled"],
        appeals_per_10k=(
            PER_RESIDENTS * totals["appeals"] / population if population else None
        ),
        first_response_median_hours=totals["first_response_median_hours"],
        first_response_p90_hours=totals["first_response_p90_hours"],
        first_response_mean_hours=totals["first_response_mean_hours"],
        resolution_median_hours=totals["resolution_median_hours"],
        resolution_p90_hours=totals["resolution_p90_hours"],
        resolution_mean_hours=totals["resolution_mean_hours"],
        resolved=totals["resolved"],
        resolved_on_time=totals["resolved_on_time"],
        resolution_rate=inclusion.share(totals["resolved"], totals["handled"]),
        on_time_rate=inclusion.share(totals["resolved_on_time"], totals["handled"]),
        answered_ever=totals["answered_ever"],
        reopened=totals["reopened"],
        reopen_rate=inclusion.share(totals["reopened"], totals["answered_ever"]),
        ratings=totals["ratings"],
        satisfaction_index=(
            None if rating_mean is None else (float(rating_mean) - 1.0) / 4.0 * 100.0
        ),
        served_vulnerable=totals["served_vulnerable"],
        minority_language=totals["minority_language"],
        minority_language_answered=totals["minority_language_answered"],
        vulnerable_appeals=totals["vulnerable_appeals"],
        vulnerable_assisted=totals["vulnerable_assisted"],
        inclusion_parity=part.parity,
        inclusion_language=part.language,
        inclusion_assisted=part.assisted,
        inclusion_score=part.score,
    )
