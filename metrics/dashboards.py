"""Read-only queries behind the dashboards, shared by the pages, CSV and API.

Each helper fetches what its page shows in a fixed number of queries,
whatever the number of regions, months or units.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commons.regions.models import Level, Region
from metrics import charts, theil
from metrics.models import (
    EvaluationRun,
    Exclusion,
    KpiSnapshot,
    PeriodKind,
    SecondStageResult,
    UnitResult,
)
from metrics.tables import (
    COUNT,
    EFFICIENCY,
    KPI_COLUMNS,
    NUMBER,
    RATE,
    TEXT,
    Column,
    Table,
    formatted,
    joined,
    snapshot_row,
    summary_table,
)

# Periods offered in the period menu, and months drawn in the charts.
PERIODS_LISTED = 24
SERIES_LENGTH = 12
# Drill-down stops at counties: snapshots are kept down to that level.
DEEPEST_LEVEL = Level.COUNTY
# Tree codes are cut to these lengths at the levels above a county.
TREE_CODE_LENGTHS = (2, 4, 6, 9)

REGION_TABLES = ("summary", "children", "inequality", "series", "departments")
RUN_TABLES = ("results", "second-stage", "excluded")


@dataclass
class Chart:
    title: str
    svg: SafeString


@dataclass
class RegionDashboard:
    region: Region
    ancestors: list[Region]
    kind: str
    periods: list[KpiSnapshot]
    snapshot: KpiSnapshot | None
    tables: dict[str, Table] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)

    @property
    def children_level(self) -> int | None:
        return self.region.level + 1 if self.region.level < DEEPEST_LEVEL else None


def ancestors_within(region: Region, root: Region) -> list[Region]:
    """The regions from ``root`` down to the region's parent, in one query."""
    codes = [
        region.tree_code[:length]
        for length in TREE_CODE_LENGTHS
        if len(root.tree_code) <= length < len(region.tree_code)
    ]
    return list(Region.objects.filter(tree_code__in=codes).order_by("tree_code"))


def region_snapshots(region: Region, kind: str) -> list[KpiSnapshot]:
    return list(
        KpiSnapshot.objects.filter(
            region=region, department__isnull=True, period_kind=kind
        ).order_by("-period_start", "-period_end")[:PERIODS_LISTED]
    )


def pick_snapshot(
    snapshots: list[KpiSnapshot], start: date | None
) -> KpiSnapshot | None:
    """The snapshot starting on ``start``, else the latest one."""
    for snapshot in snapshots:
        if snapshot.period_start == start:
            return snapshot
    return snapshots[0] if snapshots else None


def region_dashboard(
    region: Region, root: Region, kind: str, start: date | None
) -> RegionDashboard:
    snapshots = region_snapshots(region, kind)
    snapshot = pick_snapshot(snapshots, start)
    board = RegionDashboard(
        region=region,
        ancestors=ancestors_within(region, root),
        kind=kind,
        periods=snapshots,
        snapshot=snapshot,
    )

    def csv_url(slug: str) -> str:
        return region_csv_url(region, slug, kind, snapshot)

    board.tables["summary"] = summary_table(snapshot, csv_url("summary"))
    series = list(reversed(snapshots[:SERIES_LENGTH]))
    board.tables["series"] = series_table(series, csv_url("series"))
    board.charts = series_charts(series)
    if snapshot is not None:
        if board.children_level is not None:
            board.tables["children"] = children_table(region, snapshot, csv_url)
            board.tables["inequality"] = inequality_table(
                region, snapshot, csv_url("inequality")
            )
        board.tables["departments"] = departments_table(region, snapshot, csv_url)
    return board


def region_csv_url(
    region: Region, slug: str, kind: str, snapshot: KpiSnapshot | None
) -> str:
    query = {"kind": kind}
    if snapshot is not None:
        query["period"] = snapshot.period_start.isoformat()
    url = reverse("metrics:region-csv", args=[region.code, slug])
    return f"{url}?{urlencode(query)}"


def period_label(snapshot: KpiSnapshot) -> str:
    if snapshot.period_kind == PeriodKind.MONTH:
        return date_format(snapshot.period_start, "YEAR_MONTH_FORMAT")
    return _("%(start)s to %(end)s") % {
        "start": date_format(snapshot.period_start, "SHORT_DATE_FORMAT"),
        "end": date_format(snapshot.period_end, "SHORT_DATE_FORMAT"),
    }


def same_period(snapshot: KpiSnapshot) -> QuerySet[KpiSnapshot]:
    return KpiSnapshot.objects.filter(
        period_kind=snapshot.period_kind,
        period_start=snapshot.period_start,
        period_end=snapshot.period_end,
    )


def children_table(
    region: Region, snapshot: KpiSnapshot, csv_url: Callable[[str], str]
) -> Table:
    rows = (
        same_period(snapshot)
        .filter(region__parent=region, department__isnull=True)
        .select_related("region")
        .order_by("region__tree_code")
    )
    table = Table(
        slug="children",
        title=gettext_lazy("Divisions"),
        columns=[
            Column("region", gettext_lazy("Division")),
            Column("code", gettext_lazy("Code")),
            *KPI_COLUMNS,
        ],
        csv_url=csv_url("children"),
    )
    for child in rows:
        url = reverse("metrics:region", args=[child.region.code])
        table.rows.append(
            snapshot_row(
                child,
                region=child.region.name,
                code=child.region.code,
                _url=f"{url}?{urlencode(period_query(child))}",
            )
        )
    return table


def period_query(snapshot: KpiSnapshot) -> dict[str, str]:
    return {"kind": snapshot.period_kind, "period": snapshot.period_start.isoformat()}


def departments_table(
    region: Region, snapshot: KpiSnapshot, csv_url: Callable[[str], str]
) -> Table:
    """Departments of the region itself; for a county, also its townships'."""
    rows = same_period(snapshot).filter(department__isnull=False)
    if region.level >= DEEPEST_LEVEL:
        rows = rows.filter(region__tree_code__startswith=region.tree_code)
    else:
        rows = rows.filter(region=region)
    table = Table(
        slug="departments",
        title=gettext_lazy("Departments"),
        columns=[
            Column("department", gettext_lazy("Department")),
            Column("code", gettext_lazy("Code")),
            *KPI_COLUMNS,
        ],
        csv_url=csv_url("departments"),
    )
    for row in rows.select_related("department").order_by("department__code"):
        table.rows.append(
            snapshot_row(row, department=row.department.name, code=row.department.code)
        )
    return table


def inequality_table(region: Region, snapshot: KpiSnapshot, csv_url: str) -> Table:
    """Theil T of answered appeals over registered residents, by county.

    Counties are grouped by prefecture on the province's page; on a
    prefecture's page each county is its own group, so everything is
    between groups. Counties without registered residents are left out:
    their share of the population is zero, and their term infinite.
    """
    table = Table(
        slug="inequality",
        title=gettext_lazy("Inequality of answers between counties (Theil T)"),
        columns=[
            Column("part", gettext_lazy("Part")),
            Column("answered_share", gettext_lazy("Share of answers"), RATE),
            Column("population_share", gettext_lazy("Share of residents"), RATE),
            Column("theil", gettext_lazy("Theil T inside"), EFFICIENCY),
            Column("between", gettext_lazy("Between term"), EFFICIENCY),
            Column("within", gettext_lazy("Within contribution"), EFFICIENCY),
        ],
        csv_url=csv_url,
    )
    counties = list(
        same_period(snapshot)
        .filter(
            region__level=Level.COUNTY,
            region__tree_code__startswith=region.tree_code,
            department__isnull=True,
            population__gt=0,
        )
        .select_related("region__parent")
        .order_by("region__tree_code")
    )
    if not any(county.resolved for county in counties):
        return table

    def group_of(county: KpiSnapshot) -> str:
        if region.level == Level.PROVINCE:
            return county.region.parent.name
        return county.region.name

    split = theil.decompose(
        [county.resolved for county in counties],
        [county.population for county in counties],
        [group_of(county) for county in counties],
    )
    table.rows += [
        {"part": _("All counties"), "theil": split.total},
        {"part": _("Between groups"), "theil": split.between},
        {"part": _("Within groups"), "theil": split.within},
    ]
    for term in split.groups:
        table.rows.append(
            {
                "part": term.label,
                "answered_share": term.amount_share,
                "population_share": term.population_share,
                "theil": term.theil,
                "between": term.between,
                "within": term.within,
            }
        )
    return table


def series_table(series: list[KpiSnapshot], csv_url: str) -> Table:
    table = Table(
        slug="series",
        title=gettext_lazy("Over time"),
        columns=[
            Column("period", gettext_lazy("Period")),
            Column("period_start", gettext_lazy("First day")),
            Column("period_end", gettext_lazy("Last day")),
            *KPI_COLUMNS,
        ],
        csv_url=csv_url,
    )
    for snapshot in series:
        table.rows.append(
            snapshot_row(
                snapshot,
                period=period_label(snapshot),
                period_start=snapshot.period_start.isoformat(),
                period_end=snapshot.period_end.isoformat(),
            )
        )
    return table


CHARTED = [
    ("appeals_per_10k", gettext_lazy("Appeals per 10,000 residents"), NUMBER),
    ("resolution_median_hours", gettext_lazy("Median hours to an answer"), NUMBER),
    ("on_time_rate", gettext_lazy("Answered on time"), RATE),
    ("satisfaction_index", gettext_lazy("Satisfaction (0–100)"), NUMBER),
    ("inclusion_score", gettext_lazy("Digital inclusion (0–100)"), NUMBER),
]


def series_charts(series: list[KpiSnapshot]) -> list[Chart]:
    if len(series) < 2:
        return []
    charts_drawn = []
    for key, title, kind in CHARTED:
        points = [
            charts.Point(period_label(snapshot), getattr(snapshot, key))
            for snapshot in series
        ]
        svg = charts.line_chart(
            points,
            title=str(title),
            label=lambda value, kind=kind: formatted(value, kind),
        )
        charts_drawn.append(Chart(str(title), svg))
    return charts_drawn


# Evaluation runs


@dataclass
class RunPage:
    run: EvaluationRun
    results: list[UnitResult]
    tables: dict[str, Table]
    chart: SafeString | None

    @property
    def orientation(self) -> str:
        return str(ORIENTATION_LABELS.get(self.run.parameters.get("orientation"), ""))

    @property
    def inputs(self) -> list[str]:
        return [variable_label(name) for name in self.run.parameters.get("inputs", [])]

    @property
    def outputs(self) -> list[str]:
        return [variable_label(name) for name in self.run.parameters.get("outputs", [])]


ORIENTATION_LABELS = {
    "input": gettext_lazy("Input: how much fewer resources would do"),
    "output": gettext_lazy("Output: how much more service the resources allow"),
}
VARIABLE_LABELS = {
    "staff": gettext_lazy("Staff (full-time equivalents)"),
    "budget": gettext_lazy("Budget (yuan)"),
    "resolved": gettext_lazy("Appeals answered"),
    "resolved_on_time": gettext_lazy("Appeals answered on time"),
}


def variable_label(name: str) -> str:
    return str(VARIABLE_LABELS.get(name, name))


def run_page(run: EvaluationRun) -> RunPage:
    results = list(
        run.results.select_related("region").order_by("technical", "position")
    )
    names = {result.region.code: result.region.name for result in results}
    fits = list(run.second_stage.all())
    tables = {
        "results": results_table(run, results, names),
        "second-stage": second_stage_table(run, fits),
        "excluded": excluded_table(run),
    }
    chart = None
    if results:
        chart = charts.efficiency_chart(
            [
                charts.UnitPoint(
                    result.region.name, result.pure_technical, result.scale, result.gap
                )
                for result in results
            ],
            title=_("Pure technical and scale efficiency of each unit"),
            x_title=_("Pure technical efficiency"),
            y_title=_("Scale efficiency"),
        )
    return RunPage(run=run, results=results, tables=tables, chart=chart)


def run_csv_url(run: EvaluationRun, slug: str) -> str:
    return reverse("metrics:run-csv", args=[run.pk, slug])


def results_table(
    run: EvaluationRun, results: list[UnitResult], names: dict[str, str]
) -> Table:
    input_names = run.data.get("input_names", [])
    table = Table(
        slug="results",
        title=gettext_lazy("Units"),
        columns=[
            Column("unit", gettext_lazy("Unit")),
            Column("code", gettext_lazy("Code")),
            Column("technical", gettext_lazy("Technical efficiency"), EFFICIENCY),
            Column(
                "pure_technical", gettext_lazy("Pure technical efficiency"), EFFICIENCY
            ),
            Column("scale", gettext_lazy("Scale efficiency"), EFFICIENCY),
            Column("returns_to_scale", gettext_lazy("Returns to scale")),
            Column("gap", gettext_lazy("Main gap")),
            Column("peers", gettext_lazy("Peers")),
            *[
                Column(f"target_{name}", target_label(name), NUMBER)
                for name in input_names
            ],
            Column("digital_coverage", gettext_lazy("Digital coverage (%)"), NUMBER),
        ],
        csv_url=run_csv_url(run, "results"),
    )
    for result in results:
        row = {
            "unit": result.region.name,
            "code": result.region.code,
            "technical": result.technical,
            "pure_technical": result.pure_technical,
            "scale": result.scale,
            "returns_to_scale": result.get_returns_to_scale_display(),
            "gap": result.get_gap_display(),
            "peers": joined(
                names.get(peer["code"], peer["code"]) for peer in result.peers
            ),
            "digital_coverage": result.digital_coverage,
        }
        for name in input_names:
            row[f"target_{name}"] = result.targets.get("inputs", {}).get(name)
        table.rows.append(row)
    return table


def target_label(name: str) -> str:
    labels = {
        "staff": gettext_lazy("Target staff"),
        "budget": gettext_lazy("Target budget (yuan)"),
    }
    return labels.get(name, name)


def second_stage_table(run: EvaluationRun, fits: list[SecondStageResult]) -> Table:
    table = Table(
        slug="second-stage",
        title=gettext_lazy("Does digital coverage go with efficiency?"),
        columns=[
            Column("score", gettext_lazy("Score")),
            Column("units", gettext_lazy("Units"), COUNT),
            Column("slope", gettext_lazy("Change per point of coverage"), EFFICIENCY),
            # The "% i" below is a percentage, not a placeholder.
            # xgettext:no-python-format
            Column("ci_low", gettext_lazy("95 % interval, low"), EFFICIENCY),
            # xgettext:no-python-format
            Column("ci_high", gettext_lazy("95 % interval, high"), EFFICIENCY),
            Column("p_value", gettext_lazy("p-value"), EFFICIENCY),
            Column("r_squared", gettext_lazy("R²"), EFFICIENCY),
            Column("note", gettext_lazy("Note")),
        ],
        csv_url=run_csv_url(run, "second-stage"),
    )
    for fit in fits:
        table.rows.append(
            {
                "score": fit.get_dependent_display(),
                "units": fit.units,
                "slope": fit.slope,
                "ci_low": fit.ci_low,
                "ci_high": fit.ci_high,
                "p_value": fit.p_value,
                "r_squared": fit.r_squared,
                "note": fit.get_skipped_display() if fit.skipped else "",
            }
        )
    return table


def excluded_table(run: EvaluationRun) -> Table:
    excluded = run.data.get("excluded", [])
    regions = {}
    if excluded:
        codes = [entry["code"] for entry in excluded]
        regions = dict(
            Region.objects.filter(code__in=codes).values_list("code", "name")
        )
    reasons = dict(Exclusion.choices)
    table = Table(
        slug="excluded",
        title=gettext_lazy("Units left out"),
        columns=[
            Column("unit", gettext_lazy("Unit")),
            Column("code", gettext_lazy("Code")),
            Column("reason", gettext_lazy("Reason"), TEXT),
        ],
        csv_url=run_csv_url(run, "excluded"),
    )
    for entry in excluded:
        table.rows.append(
            {
                "unit": regions.get(entry["code"], entry["code"]),
                "code": entry["code"],
                "reason": reasons.get(entry["reason"], entry["reason"]),
            }
        )
    return table


def runs_table(runs: list[EvaluationRun]) -> Table:
    table = Table(
        slug="runs",
        title=gettext_lazy("Evaluation runs"),
        columns=[
            Column("run", gettext_lazy("Run")),
            Column("scope", gettext_lazy("Compared within")),
            Column("level", gettext_lazy("Units")),
            Column("period_start", gettext_lazy("First day")),
            Column("period_end", gettext_lazy("Last day")),
            Column("status", gettext_lazy("Status")),
            Column("units", gettext_lazy("Units scored"), COUNT),
        ],
        csv_url=reverse("metrics:runs-csv"),
    )
    for run in runs:
        table.rows.append(
            {
                "run": run.pk,
                "scope": run.scope.name,
                "level": run.get_level_display(),
                "period_start": run.period_start.isoformat(),
                "period_end": run.period_end.isoformat(),
                "status": run.get_status_display(),
                "units": len(run.data.get("units", [])),
                "_url": reverse("metrics:run", args=[run.pk]),
            }
        )
    return table


def headline(snapshot: KpiSnapshot) -> list[tuple[str, str]]:
    """The public page's few KPIs, as label and formatted value."""
    return [
        (
            _("Appeals per 10,000 residents"),
            formatted(snapshot.appeals_per_10k, NUMBER),
        ),
        (_("Usual time to an answer"), duration_text(snapshot.resolution_median_hours)),
        (_("Answered on time"), formatted(snapshot.on_time_rate, RATE)),
        (
            _("Residents' satisfaction (0 to 100)"),
            formatted(snapshot.satisfaction_index, NUMBER),
        ),
        (
            _("Digital inclusion (0 to 100)"),
            formatted(snapshot.inclusion_score, NUMBER),
        ),
    ]


def duration_text(hours: float | None) -> str:
    if hours is None:
        return formatted(None, NUMBER)
    if hours < 48:
        return _("%(hours)s hours") % {"hours": number_format(hours, 0)}
    return _("%(days)s days") % {"days": number_format(hours / 24, 1)}
