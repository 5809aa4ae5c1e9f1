from django.contrib import admin

from commons.ledger.models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is appended to by the services, never edited."""

    list_display = [
        "position",
        "created_at",
        "action",
        "actor_role",
        "department",
        "purpose",
    ]
    list_filter = ["action", "purpose"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
