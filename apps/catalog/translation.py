"""Product text in French, German and English (django-modeltranslation adds name_fr, name_de,
name_en ... columns and reads the active language, falling back as settings say)."""

from modeltranslation.translator import TranslationOptions, register

from apps.catalog.models import Category, Product


@register(Product)
class ProductTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name",)
