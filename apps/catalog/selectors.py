"""Read queries of the catalogue (search is in search.py)."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce

from apps.catalog.models import Product, Variant
from apps.tenancy.stores.models import Store


def product_get_for_storefront(*, store: Store, slug: str) -> Product | None:
    variants = Variant.objects.filter(is_active=True).annotate(
        available=Coalesce(Sum(F("stock_levels__on_hand") - F("stock_levels__reserved")), 0)
    )
    return (
        Product.objects.filter(store=store, slug=slug, is_active=True)
        .select_related("brand")
        .prefetch_related(Prefetch("variants", queryset=variants, to_attr="active_variants"))
        .first()
    )


def products_with_stock(*, ids: list[int]) -> QuerySet[Product]:
    """Products of one dashboard page with their variant count and available stock."""
    return (
        Product.objects.filter(pk__in=ids)
        .select_related("brand")
        .annotate(
            variant_count=Count("variants", distinct=True),
            available=Coalesce(
                Sum(F("variants__stock_levels__on_hand") - F("variants__stock_levels__reserved")),
                0,
            ),
        )
    )
