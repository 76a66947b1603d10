from celery import shared_task

from apps.catalog.import_services import product_import_run


@shared_task(acks_late=True)
def product_import_task(*, import_id: int) -> int:
    """Runs in the merchant's schema (tenant-aware Celery); returns the products created."""
    return product_import_run(import_id=import_id).created
