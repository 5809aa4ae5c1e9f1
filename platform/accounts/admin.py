from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from commons.accounts.models import SmsMessage, User


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ["username", "role", "department", "is_active", "locked_until"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["department", "region"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Role"), {"fields": ["role", "phone", "department", "region"]}),
    ]


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "backend", "sent_at"]
    readonly_fields = ["phone", "body", "backend", "created_at", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False
