"""Read queries of the catalogue (search is in search.py). Stock is inventory's: pages that show
it add ``apps.inventory.selectors`` figures to these."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from apps.catalog.models import Product, ProductImport, Variant
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


def product_imports_recent(*, store: Store, limit: int = 10) -> list[ProductImport]:
    """The store's latest imports, without their rows (large)."""
    return list(ProductImport.objects.filter(store=store).defer("rows")[:limit])


def product_import_get(
    *, store: Store, import_id: int, with_rows: bool = True
) -> ProductImport | None:
    """One import of the store; ``with_rows=False`` for progress polling (the rows are large)."""
    jobs = ProductImport.objects.filter(pk=import_id, store=store)
    return (jobs if with_rows else jobs.defer("rows")).first()


def product_import_plan_counts(*, job: ProductImport) -> dict[str, int]:
    """What the previewed import will do: products to create, update, leave unchanged, and
    those left out for their problems."""
    counts = {"create": 0, "update": 0, "unchanged": 0}
    for row in job.rows:
        if row.get("product_action") in counts:
            counts[row["product_action"]] += 1
    counts["problems"] = job.total - sum(counts.values())
    return counts
