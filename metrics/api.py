"""The dashboards' data through the REST API: analysts only, bar one endpoint.

The public headline of a county is open to everyone, like its page. Every
other endpoint needs an analyst (or administrator), and answers for their
area only, with the same queries as the pages.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commons.regions.models import Level, Region
from metrics import access, dashboards, services
from metrics.forms import RunForm
from metrics.models import (
    EvaluationRun,
    KpiSnapshot,
    PeriodKind,
    RunStatus,
    SecondStageResult,
    UnitResult,
)
from metrics.views import chosen_kind, chosen_start, region_within

KPI_FIELDS = [
    field.name
    for field in KpiSnapshot._meta.get_fields()
    if field.concrete
    and field.name not in {"id", "region", "department", "period_kind"}
]
SERIES_LENGTH = dashboards.PERIODS_LISTED


class IsAnalyst(permissions.BasePermission):
    """Analysts and administrators; the area they may see goes on the view."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        view.root = access.analysis_root(request.user)
        return view.root is not None


class SnapshotSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    department_code = serializers.CharField(
        source="department.code", allow_null=True, default=None
    )

    class Meta:
        model = KpiSnapshot
        fields = [
            "region_code",
            "region_name",
            "department_code",
            "period_kind",
            *KPI_FIELDS,
        ]


class UnitResultSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")

    class Meta:
        model = UnitResult
        fields = [
            "region_code",
            "region_name",
            "technical",
            "pure_technical",
            "scale",
            "returns_to_scale",
            "gap",
            "peers",
            "targets",
            "digital_coverage",
        ]


class SecondStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = SecondStageResult
        fields = [
            "dependent",
            "units",
            "intercept",
            "slope",
            "standard_error",
            "ci_low",
            "ci_high",
            "p_value",
            "r_squared",
            "skipped",
        ]


class RunSerializer(serializers.ModelSerializer):
    scope_code = serializers.CharField(source="scope.code")
    # A plain string in the schema: an enum named "status" would collide with
    # the appeals' status enum.
    status = serializers.CharField(
        read_only=True, help_text=", ".join(RunStatus.values)
    )

    class Meta:
        model = EvaluationRun
        fields = [
            "id",
            "status",
            "stage",
            "progress",
            "level",
            "scope_code",
            "period_start",
            "period_end",
            "parameters",
            "code_version",
            "failure",
            "detail",
            "created_at",
            "started_at",
            "finished_at",
        ]


class RunDetailSerializer(RunSerializer):
    results = serializers.SerializerMethodField()
    second_stage = SecondStageSerializer(many=True, read_only=True)

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "data", "results", "second_stage"]

    @extend_schema(responses=UnitResultSerializer(many=True))
    def get_results(self, run: EvaluationRun) -> list[dict[str, Any]]:
        results = run.results.select_related("region").order_by("position")
        return UnitResultSerializer(results, many=True).data


class RunRequestSerializer(serializers.Serializer):
    """For the schema; the run form checks the request."""

    scope = serializers.CharField(help_text="Official code of the area compared in.")
    level = serializers.IntegerField(default=Level.COUNTY)
    first_month = serializers.CharField(help_text="YYYY-MM")
    last_month = serializers.CharField(help_text="YYYY-MM")
    orientation = serializers.ChoiceField(choices=["input", "output"], default="input")


class HeadlineSerializer(serializers.Serializer):
    county_code = serializers.CharField(source="region.code")
    county_name = serializers.CharField(source="region.name")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    appeals_per_10k = serializers.FloatField(allow_null=True)
    resolution_median_hours = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
    satisfaction_index = serializers.FloatField(allow_null=True)
    inclusion_score = serializers.FloatField(allow_null=True)
    inclusion_parity = serializers.FloatField(allow_null=True)
    inclusion_language = serializers.FloatField(allow_null=True)
    inclusion_assisted = serializers.FloatField(allow_null=True)


PERIOD_PARAMETERS = [
    OpenApiParameter("kind", str, enum=PeriodKind.values),
    OpenApiParameter("period", str, description="First day, YYYY-MM-DD"),
]


class RegionSeriesView(generics.ListAPIView):
    """The region's snapshots of one kind, newest first."""

    permission_classes = [IsAnalyst]
    serializer_class = SnapshotSerializer
    pagination_class = None

    @extend_schema(parameters=PERIOD_PARAMETERS[:1])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[KpiSnapshot]:
        region = region_within(self.root, self.kwargs["code"])
        return (
            KpiSnapshot.objects.filter(
                region=region,
                department__isnull=True,
                period_kind=chosen_kind(self.request),
            )
            .select_related("region", "department")
            .order_by("-period_start")[:SERIES_LENGTH]
        )


class RegionPeriodView(generics.ListAPIView):
    """Snapshots of the divisions or the departments of a region, one period."""

    permission_classes = [IsAnalyst]
    serializer_class = SnapshotSerializer
    pagination_class = None
    table = "children"

    @extend_schema(parameters=PERIOD_PARAMETERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[KpiSnapshot]:
        region = region_within(self.root, self.kwargs["code"])
        snapshots = dashboards.region_snapshots(region, chosen_kind(self.request))
        snapshot = dashboards.pick_snapshot(snapshots, chosen_start(self.request))
        if snapshot is None:
            return KpiSnapshot.objects.none()
        rows = dashboards.same_period(snapshot)
        if self.table == "children":
            rows = rows.filter(region__parent=region, department__isnull=True)
        elif region.level >= dashboards.DEEPEST_LEVEL:
            rows = rows.filter(
                department__isnull=False, region__tree_code__startswith=region.tree_code
            )
        else:
            rows = rows.filter(department__isnull=False, region=region)
        return rows.select_related("region", "department").order_by(
            "region__tree_code", "department__code"
        )


class InequalityRowSerializer(serializers.Serializer):
    part = serializers.CharField()
    answered_share = serializers.FloatField(allow_null=True, default=None)
    population_share = serializers.FloatField(allow_null=True, default=None)
    theil = serializers.FloatField(allow_null=True, default=None)
    between = serializers.FloatField(allow_null=True, default=None)
    within = serializers.FloatField(allow_null=True, default=None)


class RegionInequalityView(APIView):
    """Theil T of answers over residents between the region's counties."""

    permission_classes = [IsAnalyst]

    @extend_schema(
        parameters=PERIOD_PARAMETERS, responses=InequalityRowSerializer(many=True)
    )
    def get(self, request: Request, code: str) -> Response:
        region = region_within(self.root, code)
        snapshots = dashboards.region_snapshots(region, chosen_kind(request))
        snapshot = dashboards.pick_snapshot(snapshots, chosen_start(request))
        if snapshot is None or region.level >= dashboards.DEEPEST_LEVEL:
            return Response([])
        table = dashboards.inequality_table(region, snapshot, csv_url="")
        rows = [
            {key: value for key, value in row.items() if not key.startswith("_")}
            for row in table.rows
        ]
        return Response(InequalityRowSerializer(rows, many=True).data)


class RunPagination(PageNumberPagination):
    page_size = 25


class RunListView(generics.ListAPIView):
    permission_classes = [IsAnalyst]
    serializer_class = RunSerializer
    pagination_class = RunPagination

    def get_queryset(self) -> QuerySet[EvaluationRun]:
        return EvaluationRun.objects.filter(
            scope__tree_code__startswith=self.root.tree_code
        ).select_related("scope")

    @extend_schema(request=RunRequestSerializer, responses={201: RunSerializer})
    def post(self, request: Request) -> Response:
        form = RunForm(request.data, root=self.root)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        try:
            run = services.start_evaluation(form.request(), requested_by=request.user)
        except services.EvaluationRefused as refusal:
            return Response(
                {"non_field_errors": [str(refusal)]}, status=status.HTTP_400_BAD_REQUEST
            )
        run.refresh_from_db()
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)


class RunDetailView(generics.RetrieveAPIView):
    permission_classes = [IsAnalyst]
    serializer_class = RunDetailSerializer

    def get_object(self) -> EvaluationRun:
        run = get_object_or_404(
            EvaluationRun.objects.select_related("scope").prefetch_related(
                "second_stage"
            ),
            pk=self.kwargs["run_id"],
        )
        if not self.root.contains(run.scope):
            raise PermissionDenied
        return run


class PublicHeadlineView(APIView):
    """The headline KPIs of a county's last month, for anyone."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=HeadlineSerializer)
    def get(self, request: Request, code: str) -> Response:
        county = get_object_or_404(Region, code=code, level=Level.COUNTY)
        snapshot = (
            KpiSnapshot.objects.filter(
                region=county, department__isnull=True, period_kind=PeriodKind.MONTH
            )
            .select_related("region")
            .order_by("-period_start")
            .first()
        )
        if snapshot is None:
            raise Http404
        return Response(HeadlineSerializer(snapshot).data)
