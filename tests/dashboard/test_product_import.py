import io
from datetime import timedelta

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from apps.catalog.models import ImportStatus, Product, ProductImport, Variant
from apps.catalog.services import VariantInput, category_create, product_create
from apps.tenancy.stores.roles import Role

pytestmark = pytest.mark.django_db

GOOD = (
    "product;sku;name_fr;name_de;price;gtin;options;category;tax_class\n"
    "pull;PULL-S;Pull en laine;Wollpullover;79,00;4006381333931;size=S;vetements;standard\n"
    "pull;PULL-M;Pull en laine;Wollpullover;79.00;;size=M;vetements;standard\n"
    ";MUG;Tasse émaillée;Emailbecher;12.5;;;;\n"
    ";BAD-GTIN;Mauvais;;5.00;123;;;\n"
    ";NEG;Négatif;;-3;;;;\n"
    ";MUG;Doublon;;1;;;;\n"
    ";CAT;Catégorie;;1;;;nope;\n"
)


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        category_create(store=alpha.store(), names={"fr": "Vêtements"})
    return alpha


def upload(client, content: bytes, name="products.csv"):
    return client.post(
        "/dashboard/products/import/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_preview_lists_row_errors_then_import_runs_with_progress(
    shop, staff_client, django_capture_on_commit_callbacks
):
    client, _ = staff_client(shop, Role.MANAGER)
    preview = upload(client, GOOD.encode("cp1252"))  # Excel on Windows writes cp1252
    html = preview.content.decode()
    assert preview.status_code == 200 and "Preview" in html
    with tenant_context(shop.merchant):
        job = ProductImport.objects.get()
        assert (job.status, job.total) == (ImportStatus.PENDING, 5)  # MUG twice: one group
        lines: dict[int, str] = {}
        for e in job.errors:
            lines[e["line"]] = f"{lines.get(e['line'], '')} {e['message']}"
        assert not Product.objects.exists()  # the preview writes nothing
    assert set(lines) == {5, 6, 7, 8}
    assert "GTIN" in lines[5] and "price: A price is zero or more" in lines[6]
    assert "appears twice" in lines[7] and "Unknown category" in lines[8]
    with django_capture_on_commit_callbacks(execute=True):  # the Celery task, eager
        client.post(f"/dashboard/products/import/{job.pk}/")
    done = client.get(f"/dashboard/products/import/{job.pk}/")
    assert "Done" in done.content.decode()
    with tenant_context(shop.merchant):
        job.refresh_from_db()
        assert (job.status, job.processed, job.created) == (ImportStatus.DONE, 5, 1)
        pull = Product.objects.get(name_fr="Pull en laine")
        assert sorted(pull.variants.values_list("sku", flat=True)) == ["PULL-M", "PULL-S"]
        assert pull.name_de == "Wollpullover" and pull.categories.get().slug == "vetements"
        assert Variant.objects.get(sku="PULL-S").gtin == "4006381333931"
        assert Product.objects.count() == 1  # the MUG group holds a bad duplicate row
    # Starting it again is refused, nothing is imported twice.
    again = client.post(f"/dashboard/products/import/{job.pk}/", follow=True)
    assert "already been started" in again.content.decode()
    progress = client.get(f"/dashboard/products/import/{job.pk}/", HTTP_HX_REQUEST="true")
    assert (
        "5 of 5 products processed: 1 created, 0 updated, 0 unchanged." in progress.content.decode()
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("sku,price\n".encode("utf-16"), "p.csv", "UTF-16"),
        (b"\xff\xfe\x00\x00garbage", "p.csv", "UTF-16 or binary"),
        (b"name_fr;description_fr\nPull;Chaud\n", "p.csv", "Missing columns: price, sku"),
        (b"sku,price\nA,1\n", "p.pdf", "Upload a .csv or .xlsx file"),
        (b"not a zip file", "p.xlsx", "could not be read"),
        (b"sku,price,description_fr\nA,1," + b"x" * 140_000 + b"\n", "p.csv", "Line 2 could not"),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(
    shop, staff_client, content, name, message
):
    client, _ = staff_client(shop, Role.OWNER)
    response = client.post(
        "/dashboard/products/import/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    with tenant_context(shop.merchant):
        assert not ProductImport.objects.exists() and not Product.objects.exists()


def test_xlsx_import_and_export_round_trip(shop, staff_client, django_capture_on_commit_callbacks):
    client, _ = staff_client(shop, Role.OWNER)
    data = tablib.Dataset(headers=["sku", "name_en", "price", "brand"])
    data.append(["LAMP", "Desk lamp", "39.90", "Nordlicht"])
    upload(client, data.export("xlsx"), name="lamps.xlsx")
    with tenant_context(shop.merchant):
        job = ProductImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/dashboard/products/import/{job.pk}/")
    exported = client.get("/dashboard/products/export.csv")
    assert exported.status_code == 200
    rows = tablib.Dataset().load(exported.content.decode(), format="csv")
    assert rows[0][rows.headers.index("sku")] == "LAMP"
    assert rows[0][rows.headers.index("brand")] == "Nordlicht"
    xlsx = client.get("/dashboard/products/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/dashboard/products/export.pdf").status_code == 404


def test_imports_need_manage_catalog_and_stay_in_their_merchant(shop, beta, staff_client):
    staff, _ = staff_client(shop, Role.STAFF)
    assert staff.get("/dashboard/products/import/").status_code == 403
    owner, _ = staff_client(shop, Role.OWNER)
    upload(owner, b"sku,price,name_fr\nA,1,Article\n")
    with tenant_context(shop.merchant):
        job_id = ProductImport.objects.get().pk
    other, _ = staff_client(beta, Role.OWNER)
    assert other.get(f"/dashboard/products/import/{job_id}/").status_code == 404
    assert other.post(f"/dashboard/products/import/{job_id}/").status_code == 404


def test_large_file_is_refused(shop, staff_client, settings):
    client, _ = staff_client(shop, Role.OWNER)
    big = io.BytesIO(b"sku,price\n" + b"A,1\n" * (6 * 1024 * 1024 // 4))
    response = client.post(
        "/dashboard/products/import/", {"file": SimpleUploadedFile("big.csv", big.getvalue())}
    )
    assert response.status_code == 400 and "larger than 5 MB" in response.content.decode()


def test_a_nul_byte_after_the_first_4_kb_is_a_row_error_not_a_500(shop, staff_client):
    client, _ = staff_client(shop, Role.OWNER)
    content = "sku,price,name_fr,description_fr\n" + f"LONG,1,Long,{'x' * 5000}\n"
    content += "NUL,2,Nul,Chaud\x00\nOK,3,Bon,\n"
    response = upload(client, content.encode())
    html = response.content.decode()
    assert response.status_code == 200 and "description_fr contains a NUL character" in html
    with tenant_context(shop.merchant):
        job = ProductImport.objects.get()
        assert [e["line"] for e in job.errors] == [3]


def test_the_preview_says_which_rows_update_the_store_and_what_changes(shop, staff_client):
    client, _ = staff_client(shop, Role.OWNER)
    with tenant_context(shop.merchant):
        product_create(
            store=shop.store(), names={"fr": "Tasse"}, variants=[VariantInput(sku="MUG", price="5")]
        )
    response = upload(client, b"sku,price,name_fr\nMUG,6.00,Tasse\nBOWL,4,Bol\n")
    html = response.content.decode()
    assert "New products: 1. Updated: 1. Unchanged: 0. Left out for problems: 0." in html
    assert ">Update</span></td><td>MUG</td>" in html and "<td>price</td>" in html
    assert ">New</span></td><td>BOWL</td>" in html


def test_a_stalled_import_offers_run_again_and_finishes(
    shop, staff_client, django_capture_on_commit_callbacks
):
    client, _ = staff_client(shop, Role.MANAGER)
    upload(client, b"sku,price,name_fr\nA,1,Article\n")
    with tenant_context(shop.merchant):
        job = ProductImport.objects.get()
    with django_capture_on_commit_callbacks(execute=False):  # the worker never got the task
        client.post(f"/dashboard/products/import/{job.pk}/", {"action": "start"})
    page = client.get(f"/dashboard/products/import/{job.pk}/").content.decode()
    assert "Importing" in page and "Run again" not in page
    with tenant_context(shop.merchant):
        ProductImport.objects.filter(pk=job.pk).update(
            progress_at=timezone.now() - timedelta(minutes=10)
        )
    polled = client.get(f"/dashboard/products/import/{job.pk}/", HTTP_HX_REQUEST="true")
    html = polled.content.decode()
    assert "Stalled" in html and "may have stopped" in html and "Run again" in html
    assert "HX-Refresh" not in polled  # still running, as far as anyone knows
    assert "Stalled" in client.get("/dashboard/products/import/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/dashboard/products/import/{job.pk}/", {"action": "resume"})
    done = client.get(f"/dashboard/products/import/{job.pk}/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "1 created" in done.content.decode()
    again = client.post(f"/dashboard/products/import/{job.pk}/", {"action": "resume"}, follow=True)
    assert "nothing to run again" in again.content.decode()
    with tenant_context(shop.merchant):
        assert Product.objects.count() == 1


def test_a_failed_import_shows_its_line_and_reason(shop, staff_client):
    client, _ = staff_client(shop, Role.OWNER)
    upload(client, b"sku,price,name_fr\nA,1,Article\nB,2,Autre\n")
    with tenant_context(shop.merchant):
        job = ProductImport.objects.get()
        ProductImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, failure="OperationalError: server closed", failure_line=3,
            processed=1, created=1,
        )  # fmt: skip
    html = client.get(f"/dashboard/products/import/{job.pk}/").content.decode()
    assert "The import stopped at line 3: OperationalError: server closed" in html
    assert "Run again" in html and "Failed" in html
