"""Administrators may look at volunteers and consents; changes go through services.

Consents and assisted appeals are evidence: the admin shows them and never
edits or deletes them.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from intermediaries.models import AssistedAppeal, Consent, Intermediary
from intermediaries.signatures import as_data_url


@admin.register(Intermediary)
class IntermediaryAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "status", "registered_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "user__first_name"]
    raw_id_fields = ["user", "department", "registered_by"]
    autocomplete_fields = ["communities"]
    readonly_fields = ["registered_at", "status_changed_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "intermediary", "method", "consented_at", "withdrawn_at"]
    list_filter = ["method"]
    exclude = ["signature_png"]
    readonly_fields = ["signature"]

    @admin.display(description=_("signature"))
    def signature(self, consent: Consent) -> SafeString | str:
        if not consent.signature_png:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="max-width: 24rem; border: 1px solid #ccc">',
            as_data_url(bytes(consent.signature_png)),
        )


@admin.register(AssistedAppeal)
class AssistedAppealAdmin(ReadOnlyAdmin):
    list_display = ["appeal", "intermediary", "consent", "created_at"]
    raw_id_fields = ["appeal", "intermediary", "consent"]
