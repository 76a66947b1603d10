"""The media library: images uploaded once, used by products (and later content pages)."""

from __future__ import annotations

import io
import os

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.models import MediaImage, Product, ProductImage, Variant
from apps.tenancy.stores.models import Store

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 8000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (400, 400)


def _image_error(message: str) -> CatalogError:
    return CatalogError(CatalogErrorCode.IMAGE_INVALID, message, field="file")


@transaction.atomic
def media_upload(*, store: Store, upload: UploadedFile, alt_text: str = "") -> MediaImage:
    """Check and store an image; its thumbnail is made in the background."""
    from apps.catalog.tasks import media_thumbnail_task

    if upload.size > MAX_BYTES:
        raise _image_error(_("The image is larger than 5 MB."))
    content = upload.read()
    try:
        with Image.open(io.BytesIO(content)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            kind, (width, height) = image.format, image.size
    except Image.DecompressionBombError as exc:
        # Pillow refuses to open it at all: a small file that would unpack to gigabytes.
        raise _image_error(
            _("The image declares too many pixels; at most %(max)d on each side.")
            % {"max": MAX_PIXELS}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise _image_error(_("This file is not an image Orion can read.")) from exc
    if kind not in FORMATS:
        raise _image_error(
            _("Images must be JPEG, PNG or WebP, not %(kind)s.") % {"kind": kind or "?"}
        )
    if max(width, height) > MAX_PIXELS:
        raise _image_error(
            _("The image is %(w)d×%(h)d pixels; at most %(max)d on each side.")
            % {"w": width, "h": height, "max": MAX_PIXELS}
        )
    stem = os.path.splitext(os.path.basename(upload.name or "image"))[0][:60] or "image"
    name = f"{stem}-{get_random_string(8).lower()}.{FORMATS[kind]}"
    media = MediaImage(store=store, alt_text=alt_text.strip()[:200], width=width, height=height)
    media.file.save(name, ContentFile(content), save=False)
    media.save()
    transaction.on_commit(lambda: media_thumbnail_task.delay(image_id=media.pk))
    return media


def media_thumbnail_make(*, image_id: int) -> MediaImage | None:
    """Make the thumbnail (idempotent: an image that has one is left alone)."""
    media = MediaImage.objects.filter(pk=image_id).first()
    if media is None or media.thumbnail:
        return media
    with media.file.open("rb") as handle, Image.open(handle) as image:
        image = image.convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85)
    stem = os.path.splitext(os.path.basename(media.file.name))[0]
    media.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(out.getvalue()), save=False)
    MediaImage.objects.filter(pk=media.pk).update(thumbnail=media.thumbnail.name)
    return media


@transaction.atomic
def media_delete(*, image: MediaImage) -> None:
    used_by = list(
        ProductImage.objects.filter(image=image)
        .select_related("product")
        .values_list("product__name", flat=True)[:3]
    )
    if used_by:
        raise CatalogError(
            CatalogErrorCode.IMAGE_IN_USE,
            _("This image is used by %(products)s; remove it there first.")
            % {"products": ", ".join(used_by)},
        )
    files = [image.file.name, image.thumbnail.name]
    storage = image.file.storage
    image.delete()
    transaction.on_commit(lambda: [storage.delete(f) for f in files if f])


@transaction.atomic
def product_image_add(
    *, product: Product, image: MediaImage, variant: Variant | None = None
) -> ProductImage:
    if image.store_id != product.store_id or (variant and variant.product_id != product.pk):
        raise _image_error(_("This image belongs to another store."))
    position = ProductImage.objects.filter(product=product).count()
    return ProductImage.objects.create(
        product=product, image=image, variant=variant, position=position
    )


@transaction.atomic
def product_image_remove(*, product: Product, product_image_id: int) -> None:
    """Take an image off a product (it stays in the library)."""
    ProductImage.objects.filter(pk=product_image_id, product=product).delete()
