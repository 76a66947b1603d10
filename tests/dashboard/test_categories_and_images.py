import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from PIL import Image

from apps.catalog.media import media_upload
from apps.catalog.models import Category, ProductImage
from apps.catalog.services import VariantInput, category_create, product_create
from apps.inventory.models import StockLocation
from apps.inventory.services import stock_receive
from apps.tenancy.stores.roles import Role

pytestmark = pytest.mark.django_db


def png(name="img.png"):
    out = io.BytesIO()
    Image.new("RGB", (30, 20)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue())


def test_category_tree_page_adds_categories(alpha, beta, staff_client):
    client, _ = staff_client(alpha, Role.MANAGER)
    assert (
        client.post(
            "/dashboard/products/categories/", {"name_fr": "Maison", "name_de": "Wohnen"}
        ).status_code
        == 302
    )
    with tenant_context(alpha.merchant):
        home = Category.objects.get(slug="maison")
    client.post("/dashboard/products/categories/", {"name_fr": "Bougies", "parent": str(home.pk)})
    page = client.get("/dashboard/products/categories/").content.decode()
    assert "Wohnen" in page and 'class="depth-2"' in page  # the child is indented
    duplicate = client.post("/dashboard/products/categories/", {"name_fr": "maison"})
    assert duplicate.status_code == 400 and "already exists" in duplicate.content.decode()
    empty = client.post("/dashboard/products/categories/", {"name_fr": ""})
    assert empty.status_code == 400 and "needs a name" in empty.content.decode()
    viewer, _ = staff_client(alpha, Role.VIEWER)
    assert viewer.post("/dashboard/products/categories/", {"name_fr": "X"}).status_code == 403
    other, _ = staff_client(beta, Role.OWNER)
    assert "Bougies" not in other.get("/dashboard/products/categories/").content.decode()


def test_product_images_from_the_product_page(
    alpha, beta, staff_client, django_capture_on_commit_callbacks
):
    with tenant_context(alpha.merchant):
        store = alpha.store()
        product = product_create(
            store=store, names={"fr": "Lampe"}, variants=[VariantInput(sku="L", price="9")]
        )
        library_image = media_upload(store=store, upload=png("library.png"))
    with tenant_context(beta.merchant):
        foreign = media_upload(store=beta.store(), upload=png("foreign.png"))
    client, _ = staff_client(alpha, Role.MANAGER)
    url = f"/dashboard/products/{product.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(url, {"image_action": "upload", "image": png("front.png")}).status_code
            == 302
        )
    assert (
        client.post(url, {"image_action": "attach", "media": library_image.pk}).status_code == 302
    )
    bad = client.post(
        url, {"image_action": "upload", "image": SimpleUploadedFile("x.png", b"text")}, follow=True
    )
    assert "not an image" in bad.content.decode()
    assert (
        client.post(url, {"image_action": "attach", "media": foreign.pk + 1000}).status_code == 404
    )
    page = client.get(url).content.decode()
    assert "/media/alpha/thumbnails/" in page
    with tenant_context(alpha.merchant):
        images = list(ProductImage.objects.filter(product=product))
        assert len(images) == 2
    client.post(url, {"image_action": "remove", "product_image": images[0].pk})
    with tenant_context(alpha.merchant):
        assert ProductImage.objects.filter(product=product).count() == 1


def test_product_list_filters(alpha, staff_client):
    with tenant_context(alpha.merchant):
        store = alpha.store()
        category_create(store=store, names={"fr": "Cuisine"})
        pot = product_create(store=store, names={"fr": "Casserole"}, category_slugs=["cuisine"],
                             variants=[VariantInput(sku="POT", price="40")])  # fmt: skip
        product_create(
            store=store, names={"fr": "Bougie"}, variants=[VariantInput(sku="C", price="5")]
        )
        stock_receive(
            variant=pot.variants.get(), location=StockLocation.objects.get(code="main"), quantity=1
        )
    client, _ = staff_client(alpha, Role.VIEWER)
    by_category = client.get("/dashboard/products/?category=cuisine").content.decode()
    assert "Casserole" in by_category and "Bougie" not in by_category
    stocked = client.get("/dashboard/products/?in_stock=1").content.decode()
    assert "Casserole" in stocked and "Bougie" not in stocked
    assert "Bougie" in client.get("/dashboard/products/?category=nope").content.decode()
