"""Running a product import: created from a checked file, run in the background, with progress."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.imports import ImportPreview, import_groups
from apps.catalog.models import CATALOG_LANGUAGES, ImportStatus, ProductImport
from apps.catalog.services import VariantInput, product_create
from apps.tenancy.stores.models import Store

PROGRESS_EVERY = 25


@transaction.atomic
def product_import_create(
    *, store: Store, preview: ImportPreview, file_name: str, user
) -> ProductImport:
    return ProductImport.objects.create(
        store=store,
        file_name=file_name[:200],
        rows=preview.rows,
        total=preview.products,
        errors=preview.errors,
        created_by=user,
    )


@transaction.atomic
def product_import_start(*, job: ProductImport) -> ProductImport:
    from apps.catalog.tasks import product_import_task

    updated = ProductImport.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING
    )
    if not updated:
        raise CatalogError(
            CatalogErrorCode.IMPORT_NOT_PENDING, _("This import has already been started.")
        )
    transaction.on_commit(lambda: product_import_task.delay(import_id=job.pk))
    job.refresh_from_db()
    return job


def product_import_run(*, import_id: int) -> ProductImport:
    """Create the products of a started import. Safe to run again: SKUs already created are
    refused by the catalogue and reported, nothing is duplicated."""
    job = ProductImport.objects.select_related("store").get(pk=import_id)
    if job.status != ImportStatus.RUNNING:
        return job
    bad_lines = {error["line"] for error in job.errors}
    errors, created, processed = list(job.errors), 0, 0
    for group in import_groups(job.rows):
        processed += 1
        lines = [row["line"] for row in group]
        if bad_lines.intersection(lines):
            pass  # reported by the preview already
        else:
            first = group[0]
            try:
                with transaction.atomic():
                    product_create(
                        store=job.store,
                        names={lang: first[f"name_{lang}"] for lang in CATALOG_LANGUAGES},
                        descriptions={
                            lang: first[f"description_{lang}"] for lang in CATALOG_LANGUAGES
                        },
                        brand=first["brand"],
                        category_slugs=[first["category"]] if first["category"] else [],
                        tax_class=first["tax_class"] or "standard",
                        variants=[
                            VariantInput(
                                sku=row["sku"],
                                price=row["price"],
                                gtin=row["gtin"],
                                options=row["options"],
                                compare_at_price=row["compare_at_price"] or None,
                            )
                            for row in group
                        ],
                    )
                created += 1
            except CatalogError as error:
                errors.append({"line": lines[0], "message": error.message})
        if processed % PROGRESS_EVERY == 0:
            ProductImport.objects.filter(pk=job.pk).update(processed=processed, created=created)
    ProductImport.objects.filter(pk=job.pk).update(
        processed=processed,
        created=created,
        errors=sorted(errors, key=lambda e: e["line"]),
        status=ImportStatus.DONE,
        rows=[],
    )
    job.refresh_from_db()
    return job
