"""Resource records are imported from CSV here; the rest is read-only.

Snapshots and runs come from the services alone, so their admin only shows
them. The import page lists every bad row of a refused file.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metrics import services
from metrics.forms import ResourceImportForm
from metrics.models import (
    EvaluationRun,
    KpiSnapshot,
    ResourceRecord,
    SecondStageResult,
    UnitResult,
)
from metrics.resources import COLUMNS, ImportRefused


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ResourceRecord)
class ResourceRecordAdmin(admin.ModelAdmin):
    list_display = [
        "region",
        "period_start",
        "period_end",
        "staff",
        "budget",
        "digital_coverage",
        "imported_at",
    ]
    list_filter = ["period_start", "period_end"]
    list_select_related = ["region"]
    search_fields = ["region__code", "region__name"]
    raw_id_fields = ["region"]
    readonly_fields = ["imported_at", "source"]
    date_hierarchy = "period_start"

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="metrics_resourcerecord_import",
        )
        return [upload, *super().get_urls()]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "import_url": reverse("admin:metrics_resourcerecord_import"),
        }
        return super().changelist_view(request, extra_context)

    def save_model(
        self, request: HttpRequest, obj: ResourceRecord, form: object, change: bool
    ) -> None:
        if obj.imported_at is None:
            obj.imported_at = timezone.now()
        super().save_model(request, obj, form, change)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ResourceImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.import_resources(upload.read(), source=upload.name)
            except ImportRefused as refusal:
                errors = refusal.errors
            else:
                messages.success(
                    request,
                    _(
                        "Imported %(created)s new and %(updated)s updated "
                        "resource records."
                    )
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("admin:metrics_resourcerecord_changelist")

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext_lazy("Import resource records"),
            "form": form,
            "errors": errors,
            "columns": COLUMNS,
        }
        return TemplateResponse(
            request, "admin/metrics/resourcerecord/import.html", context
        )


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "region",
        "department",
        "period_kind",
        "period_start",
        "appeals",
        "resolution_rate",
        "satisfaction_index",
        "inclusion_score",
        "computed_at",
    ]
    list_filter = ["period_kind", "period_start"]
    list_select_related = ["region", "department"]
    search_fields = ["region__code", "department__code"]


class UnitResultInline(admin.TabularInline):
    model = UnitResult
    fields = [
        "region",
        "technical",
        "pure_technical",
        "scale",
        "returns_to_scale",
        "gap",
    ]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class SecondStageInline(admin.TabularInline):
    model = SecondStageResult
    fields = ["dependent", "units", "slope", "ci_low", "ci_high", "p_value", "skipped"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "scope",
        "level",
        "period_start",
        "period_end",
        "status",
        "progress",
        "created_at",
    ]
    list_filter = ["status", "level"]
    list_select_related = ["scope"]
    inlines = [SecondStageInline, UnitResultInline]
    exclude = ["data"]
