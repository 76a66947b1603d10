import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from PIL import Image

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.media import media_delete, media_thumbnail_make, media_upload, product_image_add
from apps.catalog.models import MediaImage
from apps.catalog.services import VariantInput, product_create
from apps.tenancy.stores.roles import Role

pytestmark = pytest.mark.django_db


def image_file(name="photo.png", size=(1200, 800), fmt="PNG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue())


def png_declaring(width: int, height: int) -> SimpleUploadedFile:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\0" * 1024)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", png)


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        yield alpha.store()


def test_upload_then_thumbnail_in_the_background(shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        media = media_upload(store=shop, upload=image_file(), alt_text="Red wool")
    media.refresh_from_db()
    assert (media.width, media.height) == (1200, 800)
    assert media.file.name.startswith("alpha/media/") and media.file.name.endswith(".png")
    with Image.open(media.thumbnail.path) as thumb:
        assert max(thumb.size) == 400 and thumb.format == "JPEG"
    assert media_thumbnail_make(image_id=media.pk).thumbnail.name == media.thumbnail.name


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("fake.png", b"this is text, not an image"), "not an image"),
        (image_file("a.gif", (10, 10), "GIF"), "JPEG, PNG or WebP"),
        (image_file("huge.png", (8001, 10)), "at most 8000"),
        (SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1)), "larger than 5 MB"),
        (png_declaring(20000, 20000), "too many pixels"),
    ],
)
def test_bad_images_are_refused_and_nothing_is_stored(shop, upload, message):
    with pytest.raises(CatalogError) as excinfo:
        media_upload(store=shop, upload=upload)
    assert excinfo.value.code == CatalogErrorCode.IMAGE_INVALID and message in excinfo.value.message
    assert not MediaImage.objects.exists()


def test_a_used_image_cannot_be_deleted(shop, django_capture_on_commit_callbacks):
    media = media_upload(store=shop, upload=image_file())
    product = product_create(
        store=shop, names={"fr": "Pull"}, variants=[VariantInput(sku="P", price="1")]
    )
    product_image_add(product=product, image=media)
    with pytest.raises(CatalogError) as excinfo:
        media_delete(image=media)
    assert excinfo.value.code == CatalogErrorCode.IMAGE_IN_USE and "Pull" in excinfo.value.message
    product.images.all().delete()
    path = media.file.path
    with django_capture_on_commit_callbacks(execute=True):
        media_delete(image=media)
    assert not MediaImage.objects.exists()
    import os

    assert not os.path.exists(path)


def test_media_library_page(alpha, beta, staff_client, django_capture_on_commit_callbacks):
    client, _ = staff_client(alpha, Role.MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/dashboard/products/media/", {"file": image_file(), "alt_text": "x"}
        )
    assert response.status_code == 302
    page = client.get("/dashboard/products/media/").content.decode()
    assert "1200×800" in page and "/media/alpha/thumbnails/" in page
    bad = client.post("/dashboard/products/media/", {"file": SimpleUploadedFile("x.png", b"nope")})
    assert bad.status_code == 400 and "not an image" in bad.content.decode()
    with tenant_context(alpha.merchant):
        image_id = MediaImage.objects.get().pk
    other, _ = staff_client(beta, Role.OWNER)
    assert other.post("/dashboard/products/media/", {"delete": image_id}).status_code == 404
    viewer, _ = staff_client(alpha, Role.VIEWER)
    assert viewer.post("/dashboard/products/media/", {"delete": image_id}).status_code == 403
    with tenant_context(alpha.merchant):
        assert MediaImage.objects.filter(pk=image_id).exists()
