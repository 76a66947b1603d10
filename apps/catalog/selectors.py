"""Read queries of the catalogue (search is in search.py). Stock is inventory's: pages that show
it add ``apps.inventory.selectors`` figures to these."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from apps.catalog.models import Product, Variant
from apps.tenancy.stores.models import Store


def product_get_for_storefront(*, store: Store, slug: str) -> Product | None:
    """An active product with its active variants (``active_variants``)."""
    variants = Variant.objects.filter(is_active=True)
    return (
        Product.objects.filter(store=store, slug=slug, is_active=True)
        .select_related("brand")
        .prefetch_related(Prefetch("variants", queryset=variants, to_attr="active_variants"))
        .first()
    )


def products_for_list(*, ids: list[int]) -> QuerySet[Product]:
    """Products of one dashboard or API page, with their brand and variant count."""
    return (
        Product.objects.filter(pk__in=ids)
        .select_related("brand")
        .annotate(variant_count=Count("variants", distinct=True))
    )
