from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from commons.regions.models import Department, Region


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["code", "name", "level", "economic_zone", "ethnic_autonomy"]
    list_filter = ["level", "economic_zone", "ethnic_autonomy", "is_invented"]
    search_fields = ["code", "name_zh_hans", "name_en"]
    raw_id_fields = ["parent"]
    show_full_result_count = False


@admin.register(Department)
class DepartmentAdmin(TranslationAdmin):
    list_display = ["code", "name", "sector", "jurisdiction", "is_active"]
    list_filter = ["sector", "is_government", "is_active"]
    search_fields = ["code", "name_zh_hans", "name_en"]
    raw_id_fields = ["jurisdiction"]
