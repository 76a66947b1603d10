"""Read queries on stock, and the one definition of "available stock".

Available stock is what the active locations hold beyond what is reserved: the sum of
``on_hand - reserved`` over the levels at active locations (a closed location's goods can be
neither sold nor reserved). A product has stock when one of its active variants has some.
Storefront, feed, dashboard, store API, search (through ``Product.in_stock``, which
``services.products_stock_refresh`` keeps) and the reservation service all count it this way.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from apps.catalog.models import Variant
from apps.inventory.models import StockLevel, StockMovement


def available_stock(path: str = "") -> Coalesce:
    """Available stock as an aggregate over stock levels; ``path`` leads from the model being
    queried to its levels (``"stock_levels"`` from Variant, nothing from StockLevel)."""
    prefix = f"{path}__" if path else ""
    return Coalesce(
        Sum(
            F(f"{prefix}on_hand") - F(f"{prefix}reserved"),
            filter=Q(**{f"{prefix}location__is_active": True}),
        ),
        0,
    )


def stock_levels(*, variant: Variant) -> QuerySet[StockLevel]:
    return StockLevel.objects.filter(variant=variant).select_related("location")


def stock_available(*, variant: Variant) -> int:
    return int(StockLevel.objects.filter(variant=variant).aggregate(n=available_stock())["n"])


def variants_available(*, variant_ids: Iterable[int]) -> dict[int, int]:
    """Available stock per variant (0 for a variant without stock), in one query."""
    ids = list(variant_ids)
    rows = (
        StockLevel.objects.filter(variant_id__in=ids)
        .values("variant_id")
        .annotate(available=available_stock())
        .values_list("variant_id", "available")
    )
    return {**dict.fromkeys(ids, 0), **dict(rows)}


def products_available(*, product_ids: Iterable[int]) -> dict[int, int]:
    """Available stock per product: the sum over its active variants (0 without), one query."""
    ids = list(product_ids)
    rows = (
        StockLevel.objects.filter(variant__product_id__in=ids, variant__is_active=True)
        .values("variant__product_id")
        .annotate(available=available_stock())
        .values_list("variant__product_id", "available")
    )
    return {**dict.fromkeys(ids, 0), **dict(rows)}


def product_available_stock() -> Coalesce:
    """``products_available`` as an expression, to annotate a Product queryset in the same
    query (``.annotate(available=product_available_stock())``)."""
    levels = (
        StockLevel.objects.filter(variant__product=OuterRef("pk"), variant__is_active=True)
        .values("variant__product")
        .annotate(available=available_stock())
        .values("available")
    )
    return Coalesce(Subquery(levels), 0)


def stock_movements(*, variant: Variant) -> QuerySet[StockMovement]:
    return (
        StockMovement.objects.filter(level__variant=variant)
        .select_related("level__location", "actor")
        .order_by("-id")
    )


def low_stock_variants(*, store_id: int) -> QuerySet[Variant]:
    """Active variants whose available stock is at or below their threshold (threshold > 0)."""
    return (
        Variant.objects.filter(store_id=store_id, is_active=True, low_stock_threshold__gt=0)
        .annotate(available=available_stock("stock_levels"))
        .filter(available__lte=F("low_stock_threshold"))
        .select_related("product")
        .order_by("available", "sku")
    )
