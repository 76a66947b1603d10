"""What a store sells: categories (a tree), products with text in fr/de/en (translated fields by
django-modeltranslation, see translation.py) and their variants with SKU, GTIN and price."""

from datetime import timedelta

from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from apps.tenancy.stores.models import Store
from apps.vat.codes import TaxClass

MONEY = {"max_digits": 12, "decimal_places": 2}


class Category(MP_Node):
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="categories", verbose_name=_("store")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["store", "slug"], name="catalog_category_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Brand(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, verbose_name=_("store"))
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="catalog_brand_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


# Full-text search configuration per language of the catalogue: PostgreSQL's own for that language
# with unaccent in front (apps/core/migrations/0002_search_configurations.py), in public.
SEARCH_CONFIGS = {"fr": "orion_french", "de": "orion_german", "en": "orion_english"}
SEARCH_COLUMNS = {"fr": "fts_french", "de": "fts_german", "en": "fts_english"}
SEARCH_SIMPLE_CONFIG = "orion_simple"  # unaccented, not stemmed: other languages, brand, SKU
CATALOG_LANGUAGES = tuple(SEARCH_CONFIGS)  # the languages product text is written in


def _search_vector(language: str) -> SearchVector:
    """Name (weight A) and description (weight B) in one language, stemmed for it, and the
    product's search keys (weight C: its names in every language, brand, SKUs, GTINs), unstemmed.
    A generated column: PostgreSQL keeps it in step with the text, no trigger or signal needed."""
    config = SEARCH_CONFIGS[language]
    text = models.TextField()
    return (
        SearchVector(
            Coalesce(f"name_{language}", models.Value(""), output_field=text),
            config=config,
            weight="A",
        )
        + SearchVector(
            Coalesce(f"description_{language}", models.Value(""), output_field=text),
            config=config,
            weight="B",
        )
        + SearchVector("search_keys", config=SEARCH_SIMPLE_CONFIG, weight="C")
    )


class Product(models.Model):
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="products", verbose_name=_("store")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    slug = models.SlugField(_("SEO slug"), max_length=220)
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("brand")
    )
    categories = models.ManyToManyField(
        Category, blank=True, related_name="products", verbose_name=_("categories")
    )
    tax_class = models.CharField(
        _("tax class"), max_length=30, choices=TaxClass.choices, default=TaxClass.STANDARD
    )
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The lowest price of the active variants, kept by the catalog services: listing and
    # sorting by price must not compute it for every product of a large catalogue.
    price_from = models.DecimalField(_("price from"), null=True, blank=True, **MONEY)
    # True when an active variant has stock available at an active location; kept by the
    # inventory services (apps.inventory.services.products_stock_refresh: the catalogue does not
    # read stock), so "in stock" filters are one column.
    in_stock = models.BooleanField(_("in stock"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What else a shopper or merchant may type to find the product: its names in every
    # catalogue language, its brand, the SKUs and GTINs of its variants. Kept by the
    # catalog services (catalog.search_index.products_search_keys_refresh).
    search_keys = models.TextField(_("search keys"), blank=True, default="", editable=False)
    # Named by dictionary, not by language suffix: django-modeltranslation treats fields
    # ending in _fr/_de/_en as translations of another field.
    fts_french = models.GeneratedField(
        expression=_search_vector("fr"), output_field=SearchVectorField(), db_persist=True
    )
    fts_german = models.GeneratedField(
        expression=_search_vector("de"), output_field=SearchVectorField(), db_persist=True
    )
    fts_english = models.GeneratedField(
        expression=_search_vector("en"), output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "slug"], name="catalog_product_unique_slug")
        ]
        indexes = [
            models.Index(fields=["store", "-created_at"], name="catalog_product_newest"),
            models.Index(fields=["store", "price_from"], name="catalog_product_price"),
            # "a name equal to the query comes first" (search), per language
            *(
                models.Index(F("store"), Upper(f"name_{lang}"), name=f"catalog_product_name_{lang}")
                for lang in ("fr", "de", "en")
            ),
            GinIndex(fields=["fts_french"], name="catalog_product_fts_french"),
            GinIndex(fields=["fts_german"], name="catalog_product_fts_german"),
            GinIndex(fields=["fts_english"], name="catalog_product_fts_english"),
        ]

    def __str__(self) -> str:
        return self.name


class Variant(models.Model):
    """A sellable article: one combination of options of a product, with its own SKU and price."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product")
    )
    # Repeated from the product so that "SKU unique per store" is a database constraint.
    store = models.ForeignKey(Store, on_delete=models.CASCADE, verbose_name=_("store"))
    sku = models.CharField(_("SKU"), max_length=64)
    gtin = models.CharField(_("GTIN/EAN"), max_length=14, blank=True)
    options = models.JSONField(
        _("options"), default=dict, blank=True, help_text=_('e.g. {"size": "M", "colour": "red"}')
    )
    price = models.DecimalField(_("price"), **MONEY)
    compare_at_price = models.DecimalField(_("compare-at price"), null=True, blank=True, **MONEY)
    low_stock_threshold = models.PositiveIntegerField(_("low-stock threshold"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["product_id", "position", "id"]
        indexes = [
            # Exact and prefix look-ups of what people type: "bou-0012" finds BOU-0012.
            models.Index(
                F("store"), OpClass(Upper("sku"), name="text_pattern_ops"),
                name="catalog_variant_sku_upper",
            ),
            models.Index(fields=["store", "gtin"], name="catalog_variant_gtin"),
        ]  # fmt: skip
        constraints = [
            models.UniqueConstraint(fields=["store", "sku"], name="catalog_variant_unique_sku"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="catalog_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.product}"


class ProductVatRate(models.Model):
    """The merchant's own VAT rate for one product in one member state (or regional rate area),
    where the product's goods category does not give the right rate (a state that taxes this
    article at another rate than the common case of its category)."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="vat_rates", verbose_name=_("product")
    )
    country = models.CharField(_("country or rate area"), max_length=5)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("product VAT rate")
        verbose_name_plural = _("product VAT rates")
        ordering = ["product_id", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "country"], name="catalog_productvatrate_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lt=100),
                name="catalog_productvatrate_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.country} {self.rate}%"


class SearchWord(models.Model):
    """A word of a store's search keys (unaccented, lower case): the vocabulary that typo
    correction picks the closest word from, by trigram distance (pg_trgm, GiST index)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, verbose_name=_("store"))
    word = models.CharField(_("word"), max_length=100)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        constraints = [
            models.UniqueConstraint(fields=["store", "word"], name="catalog_searchword_unique")
        ]
        indexes = [
            # store_id through btree_gist, so the nearest-word look-up stays inside one store
            GistIndex(
                F("store"), OpClass("word", name="gist_trgm_ops"), name="catalog_searchword_trgm"
            )
        ]

    def __str__(self) -> str:
        return self.word


class ProductFeed(models.Model):
    """The secret address of a store's product feed for Letzshop (one token per store)."""

    store = models.OneToOneField(
        Store, on_delete=models.CASCADE, related_name="product_feed", verbose_name=_("store")
    )
    token = models.CharField(_("secret token"), max_length=64, unique=True)
    rotated_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("product feed")
        verbose_name_plural = _("product feeds")

    def __str__(self) -> str:
        return f"{self.store} feed"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A running import whose last progress is older than this is shown as stalled, with "Run again"
# (its worker died or its task was lost); running again is harmless when it was only slow.
IMPORT_STALLED_AFTER = timedelta(minutes=5)


class ProductImport(models.Model):
    """One uploaded product file and what became of each of its rows."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, verbose_name=_("store"))
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.JSONField(_("rows"), default=list)  # parsed rows, kept until the import ran
    # The file's import columns: updating a product changes only these, the others stay.
    columns = models.JSONField(_("columns"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total = models.PositiveIntegerField(_("products in the file"), default=0)
    # Products done, in file order: also where a run starts again. Written in the same
    # transaction as each product, so a task delivered twice never does one twice.
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list)  # [{"line": 3, "message": "..."}]
    # Why a run stopped ("failed"): an unexpected error at that line. Running again retries it.
    failure = models.TextField(_("failure"), blank=True, default="")
    failure_line = models.PositiveIntegerField(_("failure line"), null=True, blank=True)
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("product import")
        verbose_name_plural = _("product imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return int(self.processed * 100 / self.total) if self.total else 100

    @property
    def stalled(self) -> bool:
        """Running, but nothing happened for IMPORT_STALLED_AFTER."""
        return (
            self.status == ImportStatus.RUNNING
            and self.progress_at is not None
            and self.progress_at < timezone.now() - IMPORT_STALLED_AFTER
        )

    @property
    def can_run_again(self) -> bool:
        return self.status == ImportStatus.FAILED or self.stalled


def media_upload_to(instance, filename: str) -> str:
    """Files of each merchant under its own folder (the schema name), never shared."""
    from django.db import connection

    return f"{connection.schema_name}/media/{instance.store_id}/{filename}"


def thumbnail_upload_to(instance, filename: str) -> str:
    from django.db import connection

    return f"{connection.schema_name}/thumbnails/{instance.store_id}/{filename}"


class MediaImage(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, verbose_name=_("store"))
    file = models.ImageField(_("image"), upload_to=media_upload_to)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=thumbnail_upload_to, blank=True)
    alt_text = models.CharField(_("alternative text"), max_length=200, blank=True)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class ProductImage(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, null=True, blank=True, related_name="images"
    )
    # PROTECT: an image in use cannot be deleted from the library.
    image = models.ForeignKey(MediaImage, on_delete=models.PROTECT, related_name="uses")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["product_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.product} #{self.position}"
