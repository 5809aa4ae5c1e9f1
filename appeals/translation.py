from modeltranslation.translator import TranslationOptions, register

from appeals.models import Category


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "help_text")
