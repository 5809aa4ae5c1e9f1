"""Grants are managed in the admin. Resident records are not shown here on
purpose: the admin would read them without a grant or a ledger entry."""

from django.contrib import admin

from commons.registry.models import AccessGrant


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    list_display = ["department", "purpose", "may_change", "valid_from", "valid_until"]
    list_filter = ["purpose", "may_change"]
    raw_id_fields = ["department"]
