"""Product import: the preview checks what the database checks, a clean preview always imports,
SKUs already in the store are updated (export -> edit -> import round-trips), and a run that is
delivered twice, crashes or stalls never does a product twice."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.exports import product_export
from apps.catalog.import_services import (
    product_import_create,
    product_import_resume,
    product_import_run,
    product_import_start,
)
from apps.catalog.imports import import_file_read
from apps.catalog.models import ImportStatus, Product, ProductImport, Variant
from apps.catalog.services import (
    VariantInput,
    category_create,
    product_create,
    product_update,
    variant_update,
)
from apps.catalog.tasks import product_import_task
from apps.inventory.selectors import variants_available

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        store = alpha.store()
        category_create(store=store, names={"fr": "Vêtements"})
        category_create(store=store, names={"fr": "Chaussettes"})
        yield store


def csv_file(header: list[str], *rows: list) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def problems(preview) -> dict[int, str]:
    found: dict[int, str] = {}
    for error in preview.errors:
        found[error["line"]] = " ".join(filter(None, [found.get(error["line"]), error["message"]]))
    return found


def run(store, content: bytes, capture, name="products.csv") -> ProductImport:
    """Preview, then start the import (the Celery task runs eagerly on commit)."""
    preview = import_file_read(store=store, content=content, file_name=name)
    job = product_import_create(store=store, preview=preview, file_name=name, user=None)
    with capture(execute=True):
        product_import_start(job=job)
    job.refresh_from_db()
    return job


HEADER = ["product", "sku", "name_fr", "description_fr", "price", "compare_at_price", "gtin"]
HEADER += ["options", "brand", "category", "tax_class", "weight_grams"]


def row(sku, **values):
    defaults = {"sku": sku, "name_fr": f"Article {sku}", "price": "10.00"}
    return [values.get(column, defaults.get(column, "")) for column in HEADER]


def test_the_preview_flags_what_the_database_would_refuse(shop):
    content = csv_file(
        HEADER,
        row("PAD", description_fr="x" * 5000),  # pushes the NUL below past the first 4 KB
        row("LONG", name_fr="N" * 201),
        row("HUGE", price="1e400"),
        row("BIG", price="10000000000.00"),
        row("HEAVY", weight_grams="2147483648"),
        row("GTIN", gtin="4006381333932"),  # wrong check digit
        row("NUL", description_fr="Chaud\x00"),
        row("COMPARE", compare_at_price="1e400"),
        row("CENTS", price="1.999"),
        row("MINUS", weight_grams="-1"),
        row("HALF", weight_grams="12.5"),
        row("BRAND", brand="B" * 121),
        row("EDGE", name_fr="N" * 200, price="9999999999.99", weight_grams="2147483647"),
        row("ZERO", price="0", compare_at_price="12.500", brand="B" * 120),
    )
    preview = import_file_read(store=shop, content=content, file_name="p.csv")
    found = problems(preview)
    assert set(found) == set(range(3, 14)), found
    assert "name_fr" in found[3] and "200" in found[3]
    assert "price" in found[4] and "12 digits" in found[4]
    assert "price" in found[5] and "12 digits" in found[5]
    assert "weight_grams" in found[6] and "2147483647" in found[6]
    assert "GTIN" in found[7]
    assert "description_fr" in found[8] and "NUL" in found[8]
    assert "compare_at_price" in found[9]
    assert "2 decimal places" in found[10]
    assert "weight_grams" in found[11] and "0" in found[11]
    assert "whole number" in found[12]
    assert "brand" in found[13] and "120" in found[13]
    # The preview is stored (PostgreSQL refuses NUL in JSON: it is replaced, the row refused).
    job = product_import_create(store=shop, preview=preview, file_name="p.csv", user=None)
    job.refresh_from_db()
    assert "\ufffd" in next(r for r in job.rows if r["sku"] == "NUL")["description_fr"]


def test_a_file_the_preview_accepts_always_imports(shop, django_capture_on_commit_callbacks):
    content = csv_file(
        HEADER,
        row("EDGE", name_fr="N" * 200, price="9999999999.99", weight_grams="2147483647"),
        row("S" * 64, brand="B" * 120, compare_at_price="9999999999.99", gtin="036000291452"),
        row("FORMULA", name_fr="=1+1", description_fr="- 100 % laine\n- chaud", brand="@home"),
        row("QUOTE", name_fr="'t Hoekje", category="vetements;chaussettes", tax_class="reduced"),
        ["pull", "PULL-S", "Pull", "", "79,00", "", "", "size=S", "", "", "", "250.0"],
        ["pull", "PULL-M", "Pull", "", "79.00", "", "", "size=M", "", "", "", ""],
    )
    preview = import_file_read(store=shop, content=content, file_name="p.csv")
    assert preview.errors == []
    job = run(shop, content, django_capture_on_commit_callbacks)
    assert (job.status, job.processed, job.created, job.errors) == (ImportStatus.DONE, 5, 5, [])
    edge = Variant.objects.get(sku="EDGE")
    assert edge.price == Decimal("9999999999.99") and edge.product.weight_grams == 2147483647
    assert edge.product.name_fr == "N" * 200
    assert Product.objects.get(name_fr="=1+1").brand.name == "@home"
    quote = Product.objects.get(name_fr="'t Hoekje")
    assert set(quote.categories.values_list("slug", flat=True)) == {"vetements", "chaussettes"}
    pull = Product.objects.get(name_fr="Pull")
    assert pull.weight_grams == 250 and pull.variants.count() == 2


@pytest.fixture
def sweater(shop):
    product = product_create(
        store=shop,
        names={"fr": "Pull", "de": "Pullover"},
        descriptions={"fr": "Chaud"},
        brand="Lux Tricot",
        category_slugs=["vetements"],
        tax_class="reduced",
        weight_grams=300,
        variants=[
            VariantInput(sku="PULL-S", price="10.00", options={"size": "S"}),
            VariantInput(sku="PULL-M", price="10.00", options={"size": "M"}),
        ],
    )
    small = product.variants.get(sku="PULL-S")
    variant_update(
        variant=small,
        data=VariantInput(
            sku="PULL-S", price="10.00", options={"size": "S"}, low_stock_threshold=3
        ),
    )
    medium = product.variants.get(sku="PULL-M")
    variant_update(
        variant=medium, data=VariantInput(sku="PULL-M", price="10.00", options={"size": "M"}),
        is_active=False,
    )  # fmt: skip
    return product


def test_skus_in_the_store_are_updated_and_the_preview_says_so(
    shop, sweater, django_capture_on_commit_callbacks
):
    content = csv_file(
        ["product", "sku", "name_fr", "price", "options"],
        ["pull", "PULL-S", "Pull rouge", "12.00", "size=S"],
        ["pull", "PULL-M", "Pull rouge", "10.00", "size=M"],
        ["pull", "PULL-L", "Pull rouge", "11.00", "size=L"],
        ["", "NEW", "Nouveau", "5", ""],
    )
    preview = import_file_read(store=shop, content=content, file_name="p.csv")
    assert preview.errors == []
    actions = {r["sku"]: (r["action"], r["changes"]) for r in preview.rows}
    assert actions == {
        "PULL-S": ("update", ["name_fr", "price"]),
        "PULL-M": ("unchanged", []),
        "PULL-L": ("create", []),
        "NEW": ("create", []),
    }
    assert [r.get("product_action") for r in preview.rows] == ["update", None, None, "create"]
    job = run(shop, content, django_capture_on_commit_callbacks)
    assert (job.status, job.created, job.updated, job.unchanged) == (ImportStatus.DONE, 1, 1, 0)
    sweater.refresh_from_db()
    assert (sweater.name_fr, sweater.name_de, sweater.brand.name) == (
        "Pull rouge",
        "Pullover",  # columns the file does not have stay as they are
        "Lux Tricot",
    )
    assert (sweater.tax_class, sweater.weight_grams, sweater.description_fr) == (
        "reduced",
        300,
        "Chaud",
    )
    assert list(sweater.categories.values_list("slug", flat=True)) == ["vetements"]
    variants = {v.sku: v for v in sweater.variants.all()}
    assert set(variants) == {"PULL-S", "PULL-M", "PULL-L"}  # no second product
    assert (variants["PULL-S"].price, variants["PULL-S"].low_stock_threshold) == (Decimal(12), 3)
    assert variants["PULL-M"].is_active is False  # an inactive variant stays inactive
    assert variants["PULL-L"].options == {"size": "L"}
    assert sweater.price_from == Decimal("11.00")  # the services keep it
    assert Product.objects.count() == 2


def test_rows_that_cannot_be_one_product_are_refused(shop, sweater):
    product_create(store=shop, names={"fr": "Mug"}, variants=[VariantInput(sku="MUG", price="5")])
    content = csv_file(
        ["product", "sku", "name_fr", "price"],
        ["mix", "PULL-S", "Pull", "10"],
        ["mix", "MUG", "Pull", "10"],
        ["a", "PULL-M", "Pull", "10"],
        ["b", "PULL-L", "Pull", "10"],
        ["b", "PULL-XL", "Pullover", "10"],
        ["", "MUG", "", "5"],
    )
    found = problems(import_file_read(store=shop, content=content, file_name="p.csv"))
    assert "different products in the store" in found[2]
    assert "differs from line 5" in found[6] and "name_fr" in found[6]
    assert "appears twice" in found[7]
    assert set(found) == {2, 6, 7}

    # Two product keys for one product of the store: the second is refused.
    content = csv_file(["product", "sku", "price"], ["a", "PULL-S", "10"], ["b", "PULL-M", "10"])
    found = problems(import_file_read(store=shop, content=content, file_name="p.csv"))
    assert set(found) == {3} and "same product as line 2" in found[3]

    # Without names the product to create has none; the one to update keeps its own.
    content = csv_file(["sku", "price", "name_fr"], ["NONAME", "1", ""], ["PULL-S", "1", ""])
    found = problems(import_file_read(store=shop, content=content, file_name="p.csv"))
    assert set(found) == {2} and "needs a name" in found[2]


PRODUCT_FIELDS = [
    "pk", "name_fr", "name_de", "name_en", "description_fr", "description_de", "description_en",
    "brand_id", "tax_class", "weight_grams", "is_active", "price_from", "updated_at",
]  # fmt: skip
VARIANT_FIELDS = [
    "pk", "sku", "price", "compare_at_price", "gtin", "options", "is_active", "low_stock_threshold",
]  # fmt: skip


def _snapshot():
    """Everything an import could change, down to the products' last-modified time."""
    return [
        (
            [getattr(p, f) for f in PRODUCT_FIELDS],
            sorted(p.categories.values_list("slug", flat=True)),
            list(p.variants.values_list(*VARIANT_FIELDS)),
        )
        for p in Product.objects.order_by("pk")
    ]


@pytest.fixture
def catalogue(shop, sweater):
    """Values that a careless export or import would change."""
    product_create(
        store=shop,
        names={"fr": '=HYPERLINK("http://evil.example","x")', "en": "+41 tea"},
        descriptions={"fr": "- 100 % laine\r\n- chaud", "de": "@home", "en": "'t Hoekje"},
        brand="-Brand-",
        category_slugs=["vetements", "chaussettes"],
        variants=[
            VariantInput(
                sku="TEA-1",
                price="0.10",
                compare_at_price="9999999999.99",
                gtin="036000291452",  # UPC-A, leading zero
                options={"taste": "=mint", "size": "-1"},
            ),
            VariantInput(sku="00123", price="1234567.80"),
        ],
    )
    product_create(store=shop, names={"de": "Nur Deutsch"}, variants=[])
    product = product_create(
        store=shop, names={"en": "Inactive"}, variants=[VariantInput(sku="OFF", price="1")]
    )
    product_update(product=product, names={"en": "Inactive"}, descriptions={}, is_active=False)


def _export(store, file_format):
    return product_export(
        store=store, file_format=file_format, variants_available=variants_available
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(
    catalogue, shop, file_format, django_capture_on_commit_callbacks
):
    before = _snapshot()
    body = product_export(
        store=shop, file_format=file_format, variants_available=variants_available
    )
    content = body.encode() if isinstance(body, str) else body
    name = f"export.{file_format}"
    preview = import_file_read(store=shop, content=content, file_name=name)
    assert preview.errors == []
    assert {r["action"] for r in preview.rows} == {"unchanged"}
    job = run(shop, content, django_capture_on_commit_callbacks, name=name)
    # The product without variants is not in the file: three products, all unchanged.
    assert (job.status, job.created, job.updated, job.unchanged) == (ImportStatus.DONE, 0, 0, 3)
    assert _snapshot() == before


def test_a_price_edited_in_the_exported_file_is_the_only_change(
    catalogue, shop, django_capture_on_commit_callbacks
):
    rows = list(csv.reader(io.StringIO(_export(shop, "csv"))))
    header = rows[0]
    tea = next(r for r in rows if r[header.index("sku")] == "TEA-1")
    tea[header.index("price")] = "0.20"
    content = csv_file(header, *rows[1:])
    preview = import_file_read(store=shop, content=content, file_name="p.csv")
    changed = {r["sku"]: r["changes"] for r in preview.rows if r["action"] != "unchanged"}
    assert changed == {"TEA-1": ["price"]}
    job = run(shop, content, django_capture_on_commit_callbacks)
    assert (job.updated, job.unchanged) == (1, 2)
    assert Variant.objects.get(sku="TEA-1").price == Decimal("0.20")


def test_exports_never_hand_a_spreadsheet_a_formula(catalogue, shop):
    rows = list(csv.reader(io.StringIO(_export(shop, "csv"))))
    header = rows[0]
    tea = dict(zip(header, next(r for r in rows if r[1] == "TEA-1"), strict=True))
    assert tea["name_fr"] == '\'=HYPERLINK("http://evil.example","x")'
    assert tea["name_en"] == "'+41 tea" and tea["brand"] == "'-Brand-"
    assert tea["description_fr"] == "'- 100 % laine\r\n- chaud"
    assert tea["description_de"] == "'@home" and tea["description_en"] == "'t Hoekje"
    assert tea["price"] == "0.10" and tea["gtin"] == "036000291452"
    for cells in rows[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)

    sheet = load_workbook(io.BytesIO(_export(shop, "xlsx"))).active
    cells = [cell for line in sheet.iter_rows(min_row=2) for cell in line]
    assert "f" not in {cell.data_type for cell in cells}
    by_column = {c.value: i for i, c in enumerate(next(sheet.iter_rows(max_row=1)))}
    tea_row = next(line for line in sheet.iter_rows(min_row=2) if line[1].value == "TEA-1")
    assert tea_row[by_column["name_fr"]].value.startswith("'=HYPERLINK")
    assert tea_row[by_column["price"]].data_type == "n"  # numbers stay numbers
    assert tea_row[by_column["gtin"]].value == "036000291452"  # text keeps its leading zero


def test_a_task_delivered_twice_imports_each_product_once(shop, django_capture_on_commit_callbacks):
    content = csv_file(["sku", "name_fr", "price"], *[[f"A-{n}", f"A {n}", "1"] for n in range(6)])
    job = run(shop, content, django_capture_on_commit_callbacks)
    assert (job.status, job.created) == (ImportStatus.DONE, 6)
    # Redelivered (acks_late) or retried: nothing left to do, nothing counted again.
    assert product_import_task.apply(kwargs={"import_id": job.pk}).get() == 6
    ProductImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)  # even then
    product_import_run(import_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed, job.created) == (ImportStatus.DONE, 6, 6)
    assert Product.objects.count() == 6


BOOM = """
CREATE FUNCTION test_boom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sku = 'B-3' THEN RAISE EXCEPTION 'disk on fire'; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER test_boom BEFORE INSERT ON catalog_variant
    FOR EACH ROW EXECUTE FUNCTION test_boom();
"""


def test_an_unexpected_error_fails_the_job_with_its_line_and_running_again_completes(
    shop, django_capture_on_commit_callbacks
):
    content = csv_file(["sku", "name_fr", "price"], *[[f"B-{n}", f"B {n}", "1"] for n in range(6)])
    with connection.cursor() as cursor:
        cursor.execute(BOOM)  # the database fails on the fourth product (line 5)
    job = run(shop, content, django_capture_on_commit_callbacks)
    assert (job.status, job.failure_line, job.processed, job.created) == (
        ImportStatus.FAILED,
        5,
        3,
        3,
    )
    assert "disk on fire" in job.failure
    assert sorted(Variant.objects.values_list("sku", flat=True)) == ["B-0", "B-1", "B-2"]
    with pytest.raises(CatalogError) as running:
        product_import_start(job=job)
    assert running.value.code == CatalogErrorCode.IMPORT_NOT_PENDING
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER test_boom ON catalog_variant; DROP FUNCTION test_boom()")
    with django_capture_on_commit_callbacks(execute=True):
        product_import_resume(job=job)
    job.refresh_from_db()
    assert (job.status, job.processed, job.created, job.failure) == (ImportStatus.DONE, 6, 6, "")
    assert Variant.objects.count() == 6 and Product.objects.count() == 6
    with pytest.raises(CatalogError) as done:
        product_import_resume(job=job)
    assert done.value.code == CatalogErrorCode.IMPORT_NOT_RESUMABLE


def test_a_stalled_job_can_be_run_again_and_a_live_one_cannot(
    shop, django_capture_on_commit_callbacks
):
    content = csv_file(["sku", "name_fr", "price"], ["C-1", "C", "1"])
    preview = import_file_read(store=shop, content=content, file_name="p.csv")
    job = product_import_create(store=shop, preview=preview, file_name="p.csv", user=None)
    with django_capture_on_commit_callbacks(execute=False):  # the task is lost
        product_import_start(job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and not job.stalled and not job.can_run_again
    with pytest.raises(CatalogError):
        product_import_resume(job=job)  # still fresh: might be running
    ProductImport.objects.filter(pk=job.pk).update(
        progress_at=timezone.now() - timedelta(minutes=6)
    )
    job.refresh_from_db()
    assert job.stalled and job.can_run_again
    with django_capture_on_commit_callbacks(execute=True):
        product_import_resume(job=job)
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportStatus.DONE, 1)


def test_two_runs_of_one_job_at_once_import_each_product_once(race_merchant):
    """Real parallel connections: both runs take turns on the job's row lock."""
    from apps.tenancy.stores.models import Store
    from tests.parallel import committed, in_parallel

    def setup():
        store = Store.objects.get(slug="shop")
        rows = [[f"RACE-{n}", f"Race {n}", "1"] for n in range(30)]
        content = csv_file(["sku", "name_fr", "price"], *rows)
        preview = import_file_read(store=store, content=content, file_name="race.csv")
        job = product_import_create(store=store, preview=preview, file_name="race.csv", user=None)
        ProductImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
        return job.pk

    job_id = committed(setup, merchant=race_merchant)

    def run():
        product_import_run(import_id=job_id)

    outcomes = in_parallel(run, run, merchant=race_merchant)
    assert all(o.ok for o in outcomes), outcomes

    def check():
        job = ProductImport.objects.get(pk=job_id)
        skus = Variant.objects.filter(sku__startswith="RACE-").count()
        products = Product.objects.filter(variants__sku__startswith="RACE-").count()
        return (job.status, job.processed, job.created, job.errors), skus, products

    assert committed(check, merchant=race_merchant) == ((ImportStatus.DONE, 30, 30, []), 30, 30)


def test_the_export_counts_stock_as_inventory_does_active_locations_only(shop):
    from apps.inventory.models import StockLocation
    from apps.inventory.services import stock_receive

    product = product_create(
        store=shop, names={"fr": "Stock"}, variants=[VariantInput(sku="STK-1", price="1")]
    )
    main = StockLocation.objects.get(code="main")
    closed = StockLocation.objects.create(name="Old shop", code="old")
    stock_receive(variant=product.variants.get(), location=main, quantity=4)
    stock_receive(variant=product.variants.get(), location=closed, quantity=6)
    StockLocation.objects.filter(pk=closed.pk).update(is_active=False)
    rows = list(csv.reader(io.StringIO(_export(shop, "csv"))))
    header = rows[0]
    row = next(r for r in rows if r[header.index("sku")] == "STK-1")
    assert row[header.index("available")] == "4"
