from modeltranslation.translator import TranslationOptions, register

from commons.regions.models import Department, Region


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Department)
class DepartmentTranslationOptions(TranslationOptions):
    fields = ("name",)
