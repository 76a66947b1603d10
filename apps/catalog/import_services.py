"""Running a product import: created from a checked file, run in the background, with progress.

The run goes through the file's products in order, each in its own transaction that also moves
the job's cursor (``processed``) and its counts: a task delivered twice, retried, or run again
after a crash continues where the last committed product left off, and never creates or counts a
product twice. Concurrent runs of one job take turns on the job's row lock. An unexpected error
stops the job as "failed" with its line and reason; running it again retries that product.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.import_plans import (
    RowAction,
    group_plan,
    import_groups,
    product_fields,
    variants_by_sku,
)
from apps.catalog.imports import COLUMNS, ImportPreview
from apps.catalog.models import IMPORT_STALLED_AFTER, ImportStatus, ProductImport
from apps.catalog.services import product_create, product_update, variant_create, variant_update
from apps.tenancy.stores.models import Store

logger = logging.getLogger(__name__)

_COUNTERS = {
    RowAction.CREATE: "created",
    RowAction.UPDATE: "updated",
    RowAction.UNCHANGED: "unchanged",
}


@transaction.atomic
def product_import_create(
    *, store: Store, preview: ImportPreview, file_name: str, user
) -> ProductImport:
    return ProductImport.objects.create(
        store=store,
        file_name=file_name[:200],
        rows=preview.rows,
        columns=preview.columns,
        total=preview.products,
        errors=preview.errors,
        created_by=user,
    )


def _enqueue(import_id: int) -> None:
    from apps.catalog.tasks import product_import_task

    transaction.on_commit(lambda: product_import_task.delay(import_id=import_id))


@transaction.atomic
def product_import_start(*, job: ProductImport) -> ProductImport:
    updated = ProductImport.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, progress_at=timezone.now()
    )
    if not updated:
        raise CatalogError(
            CatalogErrorCode.IMPORT_NOT_PENDING, _("This import has already been started.")
        )
    _enqueue(job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def product_import_resume(*, job: ProductImport) -> ProductImport:
    """Run a failed or stalled import again, from the product where it stopped."""
    now = timezone.now()
    stalled = Q(status=ImportStatus.RUNNING, progress_at__lt=now - IMPORT_STALLED_AFTER)
    updated = (
        ProductImport.objects.filter(pk=job.pk)
        .filter(Q(status=ImportStatus.FAILED) | stalled)
        .update(status=ImportStatus.RUNNING, failure="", failure_line=None, progress_at=now)
    )
    if not updated:
        raise CatalogError(
            CatalogErrorCode.IMPORT_NOT_RESUMABLE,
            _("This import is running or finished: there is nothing to run again."),
        )
    _enqueue(job.pk)
    job.refresh_from_db()
    return job


def _group_apply(*, store: Store, group: list[dict], columns: set[str]) -> RowAction:
    """Create or update one product from its rows, through the catalog services."""
    existing = variants_by_sku(store=store, skus=[row["sku"] for row in group])
    plan = group_plan(group=group, existing=existing, columns=columns)
    if plan.product is None:
        product_create(
            store=store,
            variants=[data for _row, _variant, data, _changes in plan.variants],
            **product_fields(plan.values),
        )
        return RowAction.CREATE
    product = plan.product
    if plan.product_changes:
        product_update(product=product, is_active=product.is_active, **product_fields(plan.values))
    for _row, variant, data, changes in plan.variants:
        if variant is None:
            variant_create(product=product, data=data)
        elif changes:
            variant_update(variant=variant, data=data, is_active=variant.is_active)
    return plan.action


def _step(
    *, job: ProductImport, groups: list[list[dict]], columns: set[str], bad_lines: set[int]
) -> bool:
    """Import the product at the job's cursor; False when there is nothing more to do."""
    with transaction.atomic():
        state = (
            ProductImport.objects.select_for_update()
            .filter(pk=job.pk)
            .values("status", "processed")
            .first()
        )
        if state is None or state["status"] != ImportStatus.RUNNING:
            return False
        now = timezone.now()
        jobs = ProductImport.objects.filter(pk=job.pk)
        if state["processed"] >= len(groups):
            jobs.update(status=ImportStatus.DONE, rows=[], progress_at=now)
            return False
        group = groups[state["processed"]]
        line = group[0]["line"]
        changes = {"processed": F("processed") + 1, "progress_at": now}
        if not bad_lines.intersection(row["line"] for row in group):
            try:
                with transaction.atomic():  # a product is imported whole or not at all
                    action = _group_apply(store=job.store, group=group, columns=columns)
                changes[_COUNTERS[action]] = F(_COUNTERS[action]) + 1
            except CatalogError as error:
                errors = jobs.values_list("errors", flat=True).get()  # under the lock
                changes["errors"] = sorted(
                    [*errors, {"line": line, "message": error.message}], key=lambda e: e["line"]
                )
            except Exception as exc:  # a bug or the database: stop here, say where and why
                logger.exception("Product import %s failed at line %s", job.pk, line)
                jobs.update(
                    status=ImportStatus.FAILED,
                    failure=f"{type(exc).__name__}: {exc}"[:1000],
                    failure_line=line,
                    progress_at=now,
                )
                return False
        # else: a row of this product was refused by the preview, it is reported already
        jobs.update(**changes)
        return True


def product_import_run(*, import_id: int) -> ProductImport:
    """Import the products of a started job, from its cursor on. Safe to run twice, at once or
    one after the other: each product is done once, the counts are exact."""
    job = ProductImport.objects.select_related("store").get(pk=import_id)
    if job.status == ImportStatus.RUNNING:
        groups = import_groups(job.rows)
        columns = set(job.columns or COLUMNS)
        # Lines the preview refused: their products are left out (reported already).
        bad_lines = {error["line"] for error in job.errors}
        while _step(job=job, groups=groups, columns=columns, bad_lines=bad_lines):
            pass
        job.refresh_from_db()
    return job
