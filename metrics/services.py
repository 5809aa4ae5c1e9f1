"""Every write of the metrics app: snapshots, resource imports, evaluations.

Views, the API, the admin, the command and the tasks all call these.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from importlib import metadata
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commons.accounts.models import User
from commons.regions.models import Department, Level, Region
from metrics import dea, kpis, regression, resources
from metrics.models import (
    Dependent,
    EvaluationRun,
    Exclusion,
    Failure,
    Gap,
    KpiSnapshot,
    PeriodKind,
    ResourceRecord,
    RunStage,
    RunStatus,
    SecondStageResult,
    UnitResult,
)
from metrics.periods import (
    Period,
    month_of,
    previous_month,
    previous_quarter,
    rolling_until,
)

logger = logging.getLogger(__name__)

# Dashboards drill down from the province to the counties; below that the
# 3,101 townships would multiply the nightly work by fifteen.
SNAPSHOT_LEVELS = (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY)
# Levels whose units an evaluation may compare. Villages are left out: their
# 34,412 monthly snapshots are not kept.
EVALUATION_LEVELS = (Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP)
# Monthly snapshots are recomputed for this many finished months, so that
# appeals answered after a month ends still count for the month they were
# filed in.
MONTHS_RECOMPUTED = 2
# Resource rows are written this many to a statement: 8,000 bound values,
# well under SQLite's limit of 32,766.
IMPORT_BATCH = 1000

INPUT_NAMES = ("staff", "budget")
OUTPUT_NAMES = ("resolved", "resolved_on_time")
# Raised whenever the way a run turns data into scores changes, so a stored
# run names the method it was made with.
METHOD_VERSION = "1"
# The run row's progress is written once per this many units while the KPIs
# and resources are collected: a handful of writes for a county run, enough
# to move the progress bar smoothly.
PROGRESS_EVERY = 20
# Progress (in percent) reached at the end of each stage.
COLLECTED_AT = 60
SOLVED_AT = 90
# A run still "running" this long after it started lost its worker; it may
# be claimed again.
RUN_STALE_AFTER = timedelta(hours=1)
# A run waiting this long was never picked up (the broker was down).
RUN_LOST_AFTER = timedelta(minutes=10)
# Stored and recomputed scores agree to the DEA solver's promise.
REPRODUCTION_TOLERANCE = 1e-6
# Scores this close to 1 count as efficient.
EFFICIENT_AT = 1.0 - 1e-6
# Unit results are written this many to a statement, for the same reason.
RESULT_BATCH = 500


# Snapshots


def take_snapshot(
    region: Region, period: Period, kind: str, department: Department | None = None
) -> KpiSnapshot:
    """Compute and store (or refresh) one snapshot."""
    values = asdict(kpis.compute(kpis.Scope(region, period, department)))
    snapshot, _created = KpiSnapshot.objects.update_or_create(
        region=region,
        department=department,
        period_kind=kind,
        period_start=period.start,
        period_end=period.end,
        defaults={**values, "computed_at": timezone.now()},
    )
    return snapshot


def take_snapshots(
    period: Period, kind: str, levels: tuple[int, ...] = SNAPSHOT_LEVELS
) -> int:
    """Snapshots of every region of the levels, and of every busy department.

    Each snapshot is its own short transaction, so a failure part-way keeps
    the ones already taken, and running the job again only refreshes them.
    """
    regions = list(Region.objects.filter(level__in=levels).order_by("tree_code"))
    for region in regions:
        take_snapshot(region, period, kind)

    departments = departments_with_appeals(period)
    for department in departments:
        take_snapshot(department.jurisdiction, period, kind, department)

    logger.info(
        "Took %s region and %s department snapshots for %s %s",
        len(regions),
        len(departments),
        kind,
        period.start,
    )
    return len(regions) + len(departments)


def departments_with_appeals(period: Period) -> list[Department]:
    start, end = period.instants()
    return list(
        Department.objects.filter(
            appeals__created_at__gte=start, appeals__created_at__lt=end
        )
        .distinct()
        .select_related("jurisdiction")
        .order_by("code")
    )


def take_monthly_snapshots(today: date) -> int:
    month = previous_month(today)
    taken = 0
    for _index in range(MONTHS_RECOMPUTED):
        taken += take_snapshots(month, PeriodKind.MONTH)
        month = previous_month(month.start)
    return taken


def take_rolling_snapshots(today: date) -> int:
    return take_snapshots(rolling_until(today), PeriodKind.ROLLING_30)


# Resource records


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def import_resources(content: bytes, *, source: str) -> ImportResult:
    """Store every row of a resource CSV, or none.

    Raises ``resources.ImportRefused`` listing every bad row when any row is
    bad. A row for a region and period already stored replaces its values.
    """
    rows = resources.parse(content)
    now = timezone.now()
    records = [
        ResourceRecord(
            region=row.region,
            period_start=row.period_start,
            period_end=row.period_end,
            staff=row.staff,
            budget=row.budget,
            digital_coverage=row.digital_coverage,
            source=source[:200],
            imported_at=now,
        )
        for row in rows
    ]

    with transaction.atomic():
        existing = stored_keys(rows)
        ResourceRecord.objects.bulk_create(
            records,
            batch_size=IMPORT_BATCH,
            update_conflicts=True,
            unique_fields=["region", "period_start", "period_end"],
            update_fields=[
                "staff",
                "budget",
                "digital_coverage",
                "source",
                "imported_at",
            ],
        )

    updated = sum(
        (row.region.pk, row.period_start, row.period_end) in existing for row in rows
    )
    logger.info("Imported %s resource rows from %s", len(rows), source)
    return ImportResult(created=len(rows) - updated, updated=updated)


def stored_keys(rows: list[resources.ResourceRow]) -> set[tuple[int, date, date]]:
    # A file holds few distinct periods, so they, not the regions, filter.
    periods = {(row.period_start, row.period_end) for row in rows}
    condition = Q()
    for start, end in periods:
        condition |= Q(period_start=start, period_end=end)
    return set(
        ResourceRecord.objects.filter(condition).values_list(
            "region_id", "period_start", "period_end"
        )
    )


# Evaluation runs


class EvaluationRefused(ValueError):
    """A run that cannot be asked for, with a translated message."""


class NoUnits(Exception):
    pass


@dataclass(frozen=True)
class EvaluationRequest:
    scope: Region
    period: Period
    level: int = Level.COUNTY
    orientation: str = "input"


@dataclass(frozen=True)
class Solution:
    efficiency: dea.ScaleEfficiency
    bcc: dea.DEAResult


@dataclass(frozen=True)
class Reproduction:
    matches: bool
    largest_difference: float
    code_version: str
    stored_code_version: str


def code_version() -> str:
    """The method's version and the versions of the packages that solve."""
    names = ("sichuan-community-services", "numpy", "scipy", "highspy")
    return "; ".join([f"method {METHOD_VERSION}", *map(installed_version, names)])


def installed_version(name: str) -> str:
    try:
        return f"{name} {metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return f"{name} unknown"


def check_request(request: EvaluationRequest, today: date) -> None:
    if request.level not in EVALUATION_LEVELS or request.level <= request.scope.level:
        raise EvaluationRefused(
            _("Choose a level of units below the area they are compared in.")
        )
    if not request.period.is_whole_months:
        raise EvaluationRefused(_("An evaluation covers whole calendar months."))
    if request.period.end >= today:
        raise EvaluationRefused(_("An evaluation covers months that are over."))
    if request.orientation not in dea.ORIENTATIONS:
        raise EvaluationRefused(_("Choose the input or the output orientation."))


def create_run(
    request: EvaluationRequest, *, requested_by: User | None = None
) -> EvaluationRun:
    check_request(request, timezone.localdate())
    return EvaluationRun.objects.create(
        level=request.level,
        scope=request.scope,
        period_start=request.period.start,
        period_end=request.period.end,
        parameters={
            "level": request.level,
            "scope": request.scope.code,
            "period_start": request.period.start.isoformat(),
            "period_end": request.period.end.isoformat(),
            "orientation": request.orientation,
            "inputs": list(INPUT_NAMES),
            "outputs": list(OUTPUT_NAMES),
            "budget": "prorated by days when the record is longer than the period",
        },
        code_version=code_version(),
        requested_by=requested_by,
        created_at=timezone.now(),
    )


def start_evaluation(
    request: EvaluationRequest, *, requested_by: User | None = None
) -> EvaluationRun:
    """Store a waiting run and hand it to a worker once the request commits."""
    with transaction.atomic():
        run = create_run(request, requested_by=requested_by)
        transaction.on_commit(lambda: enqueue_evaluation(run.pk))
    logger.info("Evaluation run %s requested", run.pk, extra={"run": run.pk})
    return run


def enqueue_evaluation(run_id: int) -> None:
    """Queue the run; if the broker is down the run waits for the sweep."""
    # Imported here: the tasks module imports the services.
    from metrics.tasks import run_evaluation_task

    try:
        run_evaluation_task.apply_async(args=[run_id], retry=False)
    except Exception:
        logger.warning(
            "Could not enqueue evaluation run %s; the sweep will retry",
            run_id,
            exc_info=True,
        )


def resume_lost_runs() -> int:
    """Queue again the runs no worker picked up or finished."""
    now = timezone.now()
    lost = Q(status=RunStatus.PENDING, created_at__lt=now - RUN_LOST_AFTER) | Q(
        status=RunStatus.RUNNING, started_at__lt=now - RUN_STALE_AFTER
    )
    run_ids = list(EvaluationRun.objects.filter(lost).values_list("pk", flat=True))
    for run_id in run_ids:
        enqueue_evaluation(run_id)
    if run_ids:
        logger.warning("Queued %s lost evaluation runs again", len(run_ids))
    return len(run_ids)


def evaluate_last_quarter(today: date) -> EvaluationRun | None:
    """The periodic evaluation: the province's counties, last quarter."""
    period = previous_quarter(today)
    province = Region.objects.get(level=Level.PROVINCE)
    already = EvaluationRun.objects.filter(
        scope=province,
        level=Level.COUNTY,
        period_start=period.start,
        period_end=period.end,
        requested_by=None,
    ).exclude(status=RunStatus.FAILED)
    if already.exists():
        return None
    run = create_run(EvaluationRequest(scope=province, period=period))
    return run_evaluation(run.pk)


def claim(run_id: int) -> EvaluationRun | None:
    """Mark the run as running, unless it already is (or is over)."""
    now = timezone.now()
    waiting = Q(status=RunStatus.PENDING) | Q(
        status=RunStatus.RUNNING, started_at__lt=now - RUN_STALE_AFTER
    )
    claimed = EvaluationRun.objects.filter(waiting, pk=run_id).update(
        status=RunStatus.RUNNING,
        stage=RunStage.COLLECTING,
        progress=0,
        started_at=now,
        finished_at=None,
        failure="",
        detail="",
        code_version=code_version(),
    )
    if not claimed:
        return None
    return EvaluationRun.objects.select_related("scope").get(pk=run_id)


def run_evaluation(run_id: int) -> EvaluationRun:
    """Collect, solve and store one run; safe to call twice."""
    run = claim(run_id)
    if run is None:
        logger.info("Evaluation run %s is not waiting; nothing to do", run_id)
        return EvaluationRun.objects.get(pk=run_id)

    try:
        run.data = collect(run)
        run.save(update_fields=["data"])
        set_progress(run, RunStage.SOLVING, COLLECTED_AT)
        solution = solve_data(run.data, run.parameters)
        set_progress(run, RunStage.STORING, SOLVED_AT)
        store(run, solution)
    except NoUnits as error:
        fail(run, Failure.NO_UNITS, str(error))
    except ValueError as error:
        fail(run, Failure.BAD_DATA, str(error))
    except Exception as error:
        logger.exception("Evaluation run %s failed", run.pk, extra={"run": run.pk})
        fail(run, Failure.ERROR, repr(error))
    return run


def set_progress(run: EvaluationRun, stage: str, progress: float) -> None:
    run.stage = stage
    run.progress = int(progress)
    # Outside any transaction, so the run page sees it at once.
    run.save(update_fields=["stage", "progress"])


def fail(run: EvaluationRun, failure: str, detail: str) -> None:
    run.status = RunStatus.FAILED
    run.failure = failure
    run.detail = detail[:2000]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "failure", "detail", "finished_at"])
    logger.warning("Evaluation run %s failed: %s", run.pk, failure)


def run_period(run: EvaluationRun) -> Period:
    return Period(run.period_start, run.period_end)


def collect(run: EvaluationRun) -> dict[str, Any]:
    """The matrices of the run: resources as inputs, KPI sums as outputs."""
    period = run_period(run)
    units = list(
        Region.objects.filter(
            level=run.level, tree_code__startswith=run.scope.tree_code
        ).order_by("tree_code")
    )
    records = covering_records(units, period)
    snapshots = monthly_snapshots(list(records), period)

    data: dict[str, Any] = {
        "input_names": list(INPUT_NAMES),
        "output_names": list(OUTPUT_NAMES),
        "units": [],
        "inputs": [],
        "outputs": [],
        "coverage": [],
        "excluded": [],
    }
    for index, unit in enumerate(units):
        if index % PROGRESS_EVERY == 0:
            set_progress(run, RunStage.COLLECTING, COLLECTED_AT * index / len(units))
        add_unit(data, unit, records.get(unit.pk), snapshots, period)

    if not data["units"]:
        raise NoUnits(
            f"None of {len(units)} units has resources and answered appeals "
            f"from {period.start} to {period.end}."
        )
    return data


def covering_records(units: list[Region], period: Period) -> dict[int, ResourceRecord]:
    """Each unit's shortest resource record that covers the whole period."""
    candidates = ResourceRecord.objects.filter(
        region__in=units, period_start__lte=period.start, period_end__gte=period.end
    )
    chosen: dict[int, ResourceRecord] = {}
    for record in candidates:
        current = chosen.get(record.region_id)
        if current is None or record_days(record) < record_days(current):
            chosen[record.region_id] = record
    return chosen


def record_days(record: ResourceRecord) -> int:
    return Period(record.period_start, record.period_end).days


def monthly_snapshots(
    region_ids: list[int], period: Period
) -> dict[tuple[int, date], KpiSnapshot]:
    stored = KpiSnapshot.objects.filter(
        region_id__in=region_ids,
        department__isnull=True,
        period_kind=PeriodKind.MONTH,
        period_start__in=[month.start for month in period.months()],
    )
    return {
        (snapshot.region_id, snapshot.period_start): snapshot
        for snapshot in stored
        if snapshot.period_end == month_of(snapshot.period_start).end
    }


def add_unit(
    data: dict[str, Any],
    unit: Region,
    record: ResourceRecord | None,
    snapshots: dict[tuple[int, date], KpiSnapshot],
    period: Period,
) -> None:
    if record is None:
        data["excluded"].append(
            {"code": unit.code, "reason": Exclusion.NO_RESOURCES.value}
        )
        return

    months = []
    for month in period.months():
        snapshot = snapshots.get((unit.pk, month.start))
        # A month nobody took a snapshot of is taken now, and kept.
        months.append(snapshot or take_snapshot(unit, month, PeriodKind.MONTH))
    # Staff is a head count and stays; the budget is spent over its record's
    # period, so the share falling in the evaluated period counts.
    inputs = [
        float(record.staff),
        float(record.budget) * period.days / record_days(record),
    ]
    outputs = [
        float(sum(snapshot.resolved for snapshot in months)),
        float(sum(snapshot.resolved_on_time for snapshot in months)),
    ]

    if not any(inputs):
        data["excluded"].append(
            {"code": unit.code, "reason": Exclusion.NO_INPUTS.value}
        )
    elif not any(outputs):
        data["excluded"].append(
            {"code": unit.code, "reason": Exclusion.NO_OUTPUTS.value}
        )
    else:
        data["units"].append({"region": unit.pk, "code": unit.code})
        data["inputs"].append(inputs)
        data["outputs"].append(outputs)
        data["coverage"].append(float(record.digital_coverage))


def solve_data(data: dict[str, Any], parameters: dict[str, Any]) -> Solution:
    """Solve the stored matrices; reads nothing but its arguments."""
    inputs = np.array(data["inputs"], dtype=float)
    outputs = np.array(data["outputs"], dtype=float)
    orientation = parameters["orientation"]

    efficiency = dea.scale_efficiency(inputs, outputs, orientation=orientation)
    bcc = dea.solve(inputs, outputs, rts="vrs", orientation=orientation)
    return Solution(efficiency=efficiency, bcc=bcc)


def gap_of(technical: float, pure_technical: float, scale: float) -> str:
    """Which of the two losses is larger, since technical = pure x scale."""
    if technical >= EFFICIENT_AT:
        return Gap.NONE
    return Gap.SCALE if scale < pure_technical else Gap.TECHNICAL


def unit_results(run: EvaluationRun, solution: Solution) -> list[UnitResult]:
    data = run.data
    codes = [unit["code"] for unit in data["units"]]
    efficiency = solution.efficiency
    results = []
    for position, unit in enumerate(data["units"]):
        technical = float(efficiency.crs[position])
        pure = float(efficiency.vrs[position])
        scale = float(efficiency.scale[position])
        results.append(
            UnitResult(
                run=run,
                region_id=unit["region"],
                position=position,
                technical=technical,
                pure_technical=pure,
                scale=scale,
                returns_to_scale=str(efficiency.returns_to_scale[position]),
                gap=gap_of(technical, pure, scale),
                peers=peers_of(solution.bcc, position, codes),
                targets=targets_of(solution.bcc, position, data),
                digital_coverage=data["coverage"][position],
            )
        )
    return results


def peers_of(
    result: dea.DEAResult, position: int, codes: list[str]
) -> list[dict[str, Any]]:
    row = result.lambdas.getrow(position)
    peers = [
        {"code": codes[index], "weight": float(weight)}
        for index, weight in zip(row.indices, row.data, strict=True)
    ]
    return sorted(peers, key=lambda peer: -peer["weight"])


def targets_of(
    result: dea.DEAResult, position: int, data: dict[str, Any]
) -> dict[str, dict[str, float]]:
    return {
        "inputs": dict(
            zip(
                data["input_names"],
                map(float, result.targets.inputs[position]),
                strict=True,
            )
        ),
        "outputs": dict(
            zip(
                data["output_names"],
                map(float, result.targets.outputs[position]),
                strict=True,
            )
        ),
    }


def second_stage(
    run: EvaluationRun, results: list[UnitResult]
) -> list[SecondStageResult]:
    """Regress each efficiency score on digital infrastructure coverage."""
    coverage = [result.digital_coverage for result in results]
    fits = []
    for dependent in Dependent:
        scores = [getattr(result, dependent.value) for result in results]
        try:
            fit = regression.ols(scores, coverage)
        except regression.NotEstimable as refusal:
            fits.append(
                SecondStageResult(
                    run=run,
                    dependent=dependent,
                    units=len(scores),
                    skipped=refusal.reason,
                )
            )
        else:
            fits.append(SecondStageResult(run=run, dependent=dependent, **asdict(fit)))
    return fits


def store(run: EvaluationRun, solution: Solution) -> None:
    results = unit_results(run, solution)
    fits = second_stage(run, results)

    with transaction.atomic():
        # A run claimed again after its worker was lost starts clean.
        run.results.all().delete()
        run.second_stage.all().delete()
        UnitResult.objects.bulk_create(results, batch_size=RESULT_BATCH)
        SecondStageResult.objects.bulk_create(fits)
        run.status = RunStatus.DONE
        run.stage = RunStage.FINISHED
        run.progress = 100
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "stage", "progress", "finished_at"])
    logger.info(
        "Evaluation run %s scored %s units", run.pk, len(results), extra={"run": run.pk}
    )


def reproduce(run: EvaluationRun) -> Reproduction:
    """Solve the stored matrices again and compare with the stored scores."""
    solution = solve_data(run.data, run.parameters)
    fresh = np.column_stack(
        (solution.efficiency.crs, solution.efficiency.vrs, solution.efficiency.scale)
    )
    rows = run.results.order_by("position").values_list(
        "technical", "pure_technical", "scale"
    )
    stored = np.array(list(rows), dtype=float).reshape(-1, 3)

    same_shape = stored.shape == fresh.shape
    difference = float(np.abs(stored - fresh).max()) if same_shape else float("inf")
    return Reproduction(
        matches=same_shape and difference <= REPRODUCTION_TOLERANCE,
        largest_difference=difference,
        code_version=code_version(),
        stored_code_version=run.code_version,
    )
