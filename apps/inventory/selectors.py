"""Read queries on stock."""

from __future__ import annotations

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce

from apps.catalog.models import Variant
from apps.inventory.models import StockLevel, StockMovement


def stock_levels(*, variant: Variant) -> QuerySet[StockLevel]:
    return StockLevel.objects.filter(variant=variant).select_related("location")


def stock_available(*, variant: Variant) -> int:
    total = StockLevel.objects.filter(variant=variant, location__is_active=True).aggregate(
        available=Coalesce(Sum(F("on_hand") - F("reserved")), 0)
    )["available"]
    return int(total)


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
        .annotate(
            available=Coalesce(Sum(F("stock_levels__on_hand") - F("stock_levels__reserved")), 0)
        )
        .filter(available__lte=F("low_stock_threshold"))
        .select_related("product")
        .order_by("available", "sku")
    )
