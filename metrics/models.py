"""KPI snapshots, resource inputs, and the stored DEA evaluation runs.

Every period here is a range of whole local days, both ends included: May
2025 is 2025-05-01 to 2025-05-31.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commons.regions.models import Department, Level, Region


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Calendar month")
    ROLLING_30 = "rolling30", _("Last 30 days")


class KpiSnapshot(models.Model):
    """What happened to one region's (or one department's) appeals in a period.

    Dashboards read these rows instead of the appeals themselves. Counts and
    rates are kept side by side so that a rate can always be traced to the
    numbers behind it. Rates are fractions from 0 to 1; the satisfaction
    index and the inclusion score run from 0 to 100. A value is empty when
    there is nothing to compute it from (no appeals, no ratings).
    """

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every department's appeals in the region."),
    )
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices
    )
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))

    population = models.PositiveIntegerField(_("registered residents"))
    vulnerable_population = models.PositiveIntegerField(
        _("registered vulnerable residents")
    )
    appeals = models.PositiveIntegerField(_("appeals filed"))
    handled = models.PositiveIntegerField(_("appeals handled"))
    appeals_per_10k = models.FloatField(
        _("appeals per 10,000 residents"), null=True, blank=True
    )

    first_response_median_hours = models.FloatField(null=True, blank=True)
    first_response_p90_hours = models.FloatField(null=True, blank=True)
    first_response_mean_hours = models.FloatField(null=True, blank=True)
    resolution_median_hours = models.FloatField(null=True, blank=True)
    resolution_p90_hours = models.FloatField(null=True, blank=True)
    resolution_mean_hours = models.FloatField(null=True, blank=True)

    resolved = models.PositiveIntegerField(_("answered"))
    resolved_on_time = models.PositiveIntegerField(_("answered on time"))
    resolution_rate = models.FloatField(null=True, blank=True)
    on_time_rate = models.FloatField(null=True, blank=True)
    answered_ever = models.PositiveIntegerField(_("answered at least once"))
    reopened = models.PositiveIntegerField(_("reopened"))
    reopen_rate = models.FloatField(null=True, blank=True)
    ratings = models.PositiveIntegerField(_("ratings"))
    satisfaction_index = models.FloatField(null=True, blank=True)

    served_vulnerable = models.PositiveIntegerField()
    minority_language = models.PositiveIntegerField()
    minority_language_answered = models.PositiveIntegerField()
    vulnerable_appeals = models.PositiveIntegerField()
    vulnerable_assisted = models.PositiveIntegerField()
    inclusion_parity = models.FloatField(null=True, blank=True)
    inclusion_language = models.FloatField(null=True, blank=True)
    inclusion_assisted = models.FloatField(null=True, blank=True)
    inclusion_score = models.FloatField(null=True, blank=True)

    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("KPI snapshot")
        verbose_name_plural = _("KPI snapshots")
        ordering = ["region__tree_code", "-period_start"]
        constraints = [
            # Two conditional constraints, because NULL departments never
            # collide in a plain unique constraint.
            models.UniqueConstraint(
                fields=["region", "period_kind", "period_start", "period_end"],
                condition=Q(department__isnull=True),
                name="one_region_snapshot_per_period",
            ),
            models.UniqueConstraint(
                fields=[
                    "region",
                    "department",
                    "period_kind",
                    "period_start",
                    "period_end",
                ],
                condition=Q(department__isnull=False),
                name="one_department_snapshot_per_period",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "period_kind", "-period_start"],
                name="snapshot_series",
            ),
            models.Index(
                fields=["period_kind", "period_start", "period_end"],
                name="snapshot_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period_kind} {self.period_start}"


class ResourceRecord(models.Model):
    """What a region had to work with in a period, imported from CSV."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    staff = models.DecimalField(
        _("staff (full-time equivalents)"), max_digits=9, decimal_places=1
    )
    budget = models.DecimalField(_("budget (yuan)"), max_digits=15, decimal_places=2)
    digital_coverage = models.DecimalField(
        _("digital infrastructure coverage (%)"), max_digits=5, decimal_places=2
    )
    source = models.CharField(_("imported from"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        verbose_name = _("resource record")
        verbose_name_plural = _("resource records")
        ordering = ["region__tree_code", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period_start", "period_end"],
                name="one_resource_record_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="resource_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(digital_coverage__gte=0, digital_coverage__lte=100),
                name="coverage_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period_start}–{self.period_end}"


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class RunStage(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    COLLECTING = "collecting", _("Collecting KPIs and resources")
    SOLVING = "solving", _("Solving the DEA programs")
    STORING = "storing", _("Storing the results")
    FINISHED = "finished", _("Finished")


class Failure(models.TextChoices):
    NONE = "", _("None")
    NO_UNITS = "no_units", _("No unit has both resources and KPIs for the period.")
    BAD_DATA = "bad_data", _("The data cannot be evaluated.")
    ERROR = "error", _("An unexpected error stopped the run.")


class EvaluationRun(models.Model):
    """One DEA evaluation of the units of a level, with everything it used.

    ``data`` holds the exact input and output matrices, the units in their
    order and the coverage used by the second stage; ``parameters`` the
    choices made. Together they are enough to solve the run again without
    reading anything else, which is what ``services.reproduce`` does.
    """

    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=RunStage.choices, default=RunStage.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    level = models.PositiveSmallIntegerField(
        _("level of the units"), choices=Level.choices, default=Level.COUNTY
    )
    scope = models.ForeignKey(
        Region,
        verbose_name=_("compared within"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    parameters = models.JSONField(_("parameters"), default=dict)
    data = models.JSONField(_("data used"), default=dict)
    code_version = models.CharField(_("code version"), max_length=200, blank=True)
    failure = models.CharField(
        _("failure"), max_length=10, choices=Failure.choices, blank=True
    )
    detail = models.TextField(_("technical detail"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"run {self.pk}"

    @property
    def is_working(self) -> bool:
        return self.status in (RunStatus.PENDING, RunStatus.RUNNING)


class Exclusion(models.TextChoices):
    """Why a unit of the level took no part in a run (kept in ``data``)."""

    NO_RESOURCES = "no_resources", _("No resource record covers the period.")
    NO_INPUTS = "no_inputs", _("Neither staff nor budget in the period.")
    NO_OUTPUTS = "no_outputs", _("No appeal answered in the period.")


class ReturnsToScale(models.TextChoices):
    INCREASING = "increasing", _("Increasing: too small for its best size")
    CONSTANT = "constant", _("Constant: at its best size")
    DECREASING = "decreasing", _("Decreasing: larger than its best size")


class Gap(models.TextChoices):
    NONE = "none", _("Efficient")
    SCALE = "scale", _("Scale: the amount of resources")
    TECHNICAL = "technical", _("Pure technical: how resources are used")


class UnitResult(models.Model):
    """One unit's scores in a run.

    ``technical`` is the CCR (constant returns) score, ``pure_technical`` the
    BCC (variable returns) score and ``scale`` their ratio, so technical =
    pure technical x scale. Peers and targets are those of the BCC model.
    """

    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="results"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField()
    technical = models.FloatField(_("technical efficiency"))
    pure_technical = models.FloatField(_("pure technical efficiency"))
    scale = models.FloatField(_("scale efficiency"))
    returns_to_scale = models.CharField(
        _("returns to scale"), max_length=12, choices=ReturnsToScale.choices
    )
    gap = models.CharField(_("main gap"), max_length=10, choices=Gap.choices)
    peers = models.JSONField(_("peers"), default=list)
    targets = models.JSONField(_("targets"), default=dict)
    digital_coverage = models.FloatField(_("digital infrastructure coverage (%)"))

    class Meta:
        verbose_name = _("unit result")
        verbose_name_plural = _("unit results")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "region"], name="one_result_per_unit"
            ),
            models.UniqueConstraint(
                fields=["run", "position"], name="one_result_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.run_id} unit {self.region_id}"


class SkipReason(models.TextChoices):
    NONE = "", _("None")
    TOO_FEW_UNITS = "too_few_units", _("Fewer than three units: no estimate.")
    NO_VARIATION = "no_variation", _("Coverage is the same everywhere: no estimate.")


class Dependent(models.TextChoices):
    TECHNICAL = "technical", _("Technical efficiency")
    PURE_TECHNICAL = "pure_technical", _("Pure technical efficiency")


class SecondStageResult(models.Model):
    """Ordinary least squares of an efficiency score on digital coverage.

    ``slope`` is the change in the score per percentage point of coverage,
    with its 95 % confidence interval. Empty estimates come with the reason
    in ``skipped``.
    """

    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="second_stage"
    )
    dependent = models.CharField(_("score"), max_length=20, choices=Dependent.choices)
    units = models.PositiveIntegerField(_("units"))
    intercept = models.FloatField(null=True, blank=True)
    slope = models.FloatField(_("estimate"), null=True, blank=True)
    standard_error = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    r_squared = models.FloatField(null=True, blank=True)
    skipped = models.CharField(
        _("no estimate because"), max_length=15, choices=SkipReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("second-stage result")
        verbose_name_plural = _("second-stage results")
        ordering = ["run", "dependent"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "dependent"], name="one_regression_per_score"
            )
        ]

    def __str__(self) -> str:
        return f"run {self.run_id} {self.dependent}"
