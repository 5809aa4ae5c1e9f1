"""Administrators edit the taxonomy and routing rules, and can only look at appeals.

Appeals change through the workflow services alone, so their admin is
read-only. It shows no personal data either: the resident appears as a
registry record id, and the resident's own words (description, coordinates,
the account that filed) stay in the back office, where access is by grant.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from appeals.models import Appeal, Category, RoutingRule
from appeals.routing import NoRoute, Route, find_route
from commons.regions.models import Level, Region


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = [
        "code",
        "name",
        "first_response_hours",
        "resolution_hours",
        "is_active",
        "position",
    ]
    list_filter = ["is_active"]
    search_fields = ["code", "name_zh_hans", "name_en"]


class DryRunForm(forms.Form):
    """Where would an appeal of this category, filed at this place, go?"""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all()
    )
    location = forms.CharField(
        label=_("Location code"),
        max_length=15,
        help_text=_("The official code of a village, community or grid."),
    )

    def clean_location(self) -> Region:
        code = self.cleaned_data["location"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("No region has this code."))
        if region.level < Level.VILLAGE:
            raise forms.ValidationError(_("Choose a community, village or grid."))
        return region

    def route(self) -> Route | None:
        """The route a real appeal would take; nothing is created."""
        try:
            return find_route(
                self.cleaned_data["category"], self.cleaned_data["location"]
            )
        except NoRoute:
            self.add_error(
                "location",
                _("No department serves this place, not even a township centre."),
            )
            return None


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "region", "department", "sector", "level"]
    list_filter = ["category", "sector", "level"]
    list_select_related = ["category", "region", "department"]
    raw_id_fields = ["region", "department"]
    search_fields = ["region__code", "department__code"]

    def get_urls(self) -> list[URLPattern]:
        dry_run = path(
            "dry-run/",
            self.admin_site.admin_view(self.dry_run_view),
            name="appeals_routingrule_dry_run",
        )
        return [dry_run, *super().get_urls()]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "dry_run_url": reverse("admin:appeals_routingrule_dry_run"),
        }
        return super().changelist_view(request, extra_context)

    def dry_run_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = DryRunForm(request.GET or None)
        route = form.route() if form.is_bound and form.is_valid() else None

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Where would an appeal go?"),
            "form": form,
            "route": route,
        }
        return TemplateResponse(
            request, "admin/appeals/routingrule/dry_run.html", context
        )


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "category",
        "department",
        "status",
        "priority",
        "escalation_level",
        "created_at",
        "resolution_due",
    ]
    list_filter = ["status", "priority", "channel", "category"]
    list_select_related = ["category", "department"]
    search_fields = ["tracking_number"]
    show_full_result_count = False
    fields = [
        "tracking_number",
        "registry_record",
        "channel",
        "category",
        "location",
        "status",
        "priority",
        "answer_language",
        "department",
        "assignee",
        "duplicate_of",
        "escalation_level",
        "escalated_to",
        "escalated_at",
        "reopen_count",
        "created_at",
        "routed_at",
        "first_response_due",
        "first_responded_at",
        "resolution_due",
        "paused_at",
        "resolved_at",
        "closed_at",
        "version",
    ]
    readonly_fields = fields

    @admin.display(description=_("registry record"))
    def registry_record(self, appeal: Appeal) -> int:
        return appeal.resident_id

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Appeal | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Appeal | None = None
    ) -> bool:
        return False
