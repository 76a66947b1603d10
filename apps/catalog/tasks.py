from celery import shared_task

from apps.catalog.import_services import product_import_run


@shared_task(acks_late=True)
def product_import_task(*, import_id: int) -> int:
    """Runs in the merchant's schema (tenant-aware Celery); returns the products created."""
    return product_import_run(import_id=import_id).created


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def media_thumbnail_task(*, image_id: int) -> bool:
    from apps.catalog.media import media_thumbnail_make

    media = media_thumbnail_make(image_id=image_id)
    return bool(media and media.thumbnail)
