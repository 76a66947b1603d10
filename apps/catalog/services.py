"""Creating and changing products and variants. Text comes in fr/de/en."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils.text import slugify
from django.utils.translation import gettext as _
from stdnum import ean
from stdnum.exceptions import ValidationError as StdnumError

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.models import (
    CATALOG_LANGUAGES,
    Brand,
    Category,
    Product,
    ProductFeed,
    ProductVatRate,
    Variant,
)
from apps.catalog.rules import field_value_check, price_parse, whole_number_parse
from apps.catalog.search_index import products_search_index_refresh
from apps.core.db import advisory_xact_lock, violated_constraint
from apps.core.parsing import parse_decimal
from apps.tenancy.stores.models import Store
from apps.vat.codes import TaxClass
from apps.vat.territories import VAT_RATE_AREAS

# As long as the column allows (Variant.sku max_length), letters and digits first.
SKU_PATTERN = re.compile(
    rf"^[A-Za-z0-9][A-Za-z0-9._/-]{{0,{Variant._meta.get_field('sku').max_length - 1}}}$"
)
SLUG_ATTEMPTS = 20


@dataclass(frozen=True)
class VariantInput:
    sku: str
    price: Decimal | str
    gtin: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    compare_at_price: Decimal | str | None = None
    low_stock_threshold: int = 0


def _pairs_parse(raw: str, *, error: CatalogError) -> dict[str, str]:
    """``key=value;key=value`` as a dict, or ``error`` when a part is not of that form."""
    pairs = {}
    for part in filter(None, (p.strip() for p in (raw or "").split(";"))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise error
        pairs[key.strip()] = value.strip()
    return pairs


def options_parse(*, raw: str) -> dict[str, str]:
    """Variant options written as ``size=M;colour=red`` (import files, the product form)."""
    return _pairs_parse(
        raw,
        error=CatalogError(
            CatalogErrorCode.OPTIONS_INVALID,
            _("Write options like size=M;colour=red."),
            field="options",
        ),
    )


def vat_rates_parse(*, raw: str) -> dict[str, str]:
    """Per-country VAT rates written as ``FR=5.5;IT=4`` (the product form, import files)."""
    return _pairs_parse(
        raw,
        error=CatalogError(
            CatalogErrorCode.VAT_RATE_INVALID,
            _("Write VAT rates like FR=5.5;IT=4 (country code, then the rate in percent)."),
            field="vat_rates",
        ),
    )


def _vat_rates_check(rates: Mapping[str, object]) -> dict[str, Decimal]:
    checked = {}
    for raw_country, raw_rate in rates.items():
        country = str(raw_country).strip().upper()
        rate = parse_decimal(raw_rate, field=ProductVatRate._meta.get_field("rate"))
        if country not in VAT_RATE_AREAS:
            raise CatalogError(
                CatalogErrorCode.VAT_RATE_INVALID,
                _("“%(country)s” is not an EU member state, XI or a regional rate area.")
                % {"country": str(raw_country)[:10]},
                field="vat_rates",
            )
        if rate is None or not 0 <= rate < 100:
            raise CatalogError(
                CatalogErrorCode.VAT_RATE_INVALID,
                _("The VAT rate for %(country)s must be a percentage from 0 to 99.99.")
                % {"country": country},
                field="vat_rates",
            )
        checked[country] = rate
    return checked


@transaction.atomic
def product_vat_rates_set(*, product: Product, rates: Mapping[str, object]) -> dict[str, Decimal]:
    """Replace the product's own VAT rates by ``rates`` (country -> percent; empty: none)."""
    checked = _vat_rates_check(rates)
    ProductVatRate.objects.filter(product=product).exclude(country__in=checked).delete()
    for country, rate in checked.items():
        ProductVatRate.objects.update_or_create(
            product=product, country=country, defaults={"rate": rate}
        )
    return checked


def gtin_validate(*, gtin: str) -> str:
    """An empty GTIN is allowed; otherwise EAN-8, UPC-A (12), EAN-13 or GTIN-14 with a valid
    check digit (python-stdnum)."""
    gtin = re.sub(r"[\s-]", "", gtin or "")
    if not gtin:
        return ""
    try:
        return ean.validate(gtin)
    except StdnumError as exc:
        raise CatalogError(
            CatalogErrorCode.GTIN_INVALID,
            _("“%(gtin)s” is not a valid GTIN/EAN: %(reason)s") % {"gtin": gtin, "reason": exc},
            field="gtin",
        ) from exc


def _price(value, *, field_name: str, required: bool = True) -> Decimal | None:
    return price_parse(value, model=Variant, field_name=field_name, required=required)


def sku_clean(*, sku: str) -> str:
    """A variant's SKU as stored, or CatalogError (the product form, the API, imports)."""
    sku = (sku or "").strip()
    if not SKU_PATTERN.match(sku):
        raise CatalogError(
            CatalogErrorCode.SKU_INVALID,
            _("A SKU is 1 to 64 letters, digits and . _ / -, not “%(sku)s”.") % {"sku": sku},
            field="sku",
        )
    return sku


def _options_check(options: Mapping[str, str]) -> dict[str, str]:
    for key, value in options.items():
        field_value_check(model=Variant, field_name="options", value=f"{key}={value}")
    return dict(options)


def _next_free_slug(store: Store, base: str) -> str:
    slug = slugify(base)[:200] or "product"
    taken = set(
        Product.objects.filter(store=store, slug__startswith=slug).values_list("slug", flat=True)
    )
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _product_insert(product: Product, *, base: str) -> None:
    """Save a new product under the first free slug made from ``base``. A parallel request may
    take the same slug between our look-up and our insert: the database refuses the second one,
    and we try the next free slug (the look-up then sees the other product)."""
    for _attempt in range(SLUG_ATTEMPTS):
        product.slug = _next_free_slug(product.store, base)
        try:
            with transaction.atomic():
                product.save()
            return
        except IntegrityError as exc:
            if violated_constraint(exc) != "catalog_product_unique_slug":
                raise
    raise CatalogError(
        CatalogErrorCode.SLUG_TAKEN,
        _("Too many products are being created with this name at once; try again."),
        field="name_fr",
    )


def product_price_from_refresh(*, product: Product) -> None:
    """Keep Product.price_from equal to the lowest active variant price (one UPDATE)."""
    cheapest = (
        Variant.objects.filter(product=OuterRef("pk"), is_active=True)
        .order_by("price")
        .values("price")[:1]
    )
    Product.objects.filter(pk=product.pk).update(price_from=Subquery(cheapest))


@transaction.atomic
def variant_create(*, product: Product, data: VariantInput) -> Variant:
    sku = sku_clean(sku=data.sku)
    price = _price(data.price, field_name="price")
    compare_at = _price(data.compare_at_price, field_name="compare_at_price", required=False)
    try:
        with transaction.atomic():
            variant = Variant.objects.create(
                product=product,
                store=product.store,
                sku=sku,
                gtin=gtin_validate(gtin=data.gtin),
                price=price,
                compare_at_price=compare_at,
                options=_options_check(data.options),
                low_stock_threshold=data.low_stock_threshold,
            )
    except IntegrityError as exc:
        raise CatalogError(
            CatalogErrorCode.SKU_TAKEN,
            _("The SKU %(sku)s is already used in this store.") % {"sku": sku},
            field="sku",
        ) from exc
    product_price_from_refresh(product=product)
    products_search_index_refresh(product_ids=[product.pk])
    return variant


def _product_apply(
    product: Product,
    *,
    names: Mapping[str, str],
    descriptions: Mapping[str, str] | None,
    brand: str,
    category_slugs: Sequence[str],
    tax_class: str,
    weight_grams: int | None,
    is_active: bool,
) -> list[Category]:
    """Check a product's fields and set them (not saved); return its categories."""
    names = {lang: (names.get(lang) or "").strip() for lang in CATALOG_LANGUAGES}
    if not any(names.values()):
        raise CatalogError(
            CatalogErrorCode.NAME_REQUIRED, _("A product needs a name."), field="name_fr"
        )
    if tax_class not in TaxClass.values:
        raise CatalogError(
            CatalogErrorCode.TAX_CLASS_INVALID,
            _("Unknown tax class “%(value)s”.") % {"value": tax_class},
            field="tax_class",
        )
    categories = list(Category.objects.filter(store=product.store, slug__in=category_slugs))
    unknown = sorted(set(category_slugs) - {c.slug for c in categories})
    if unknown:
        raise CatalogError(
            CatalogErrorCode.CATEGORY_UNKNOWN,
            _("Unknown categories: %(slugs)s.") % {"slugs": ", ".join(unknown)},
            field="categories",
        )
    descriptions = {lang: (descriptions or {}).get(lang) or "" for lang in CATALOG_LANGUAGES}
    for lang in CATALOG_LANGUAGES:
        description = (descriptions.get(lang) or "").strip()
        field_value_check(model=Product, field_name=f"name_{lang}", value=names[lang])
        field_value_check(model=Product, field_name=f"description_{lang}", value=description)
        setattr(product, f"name_{lang}", names[lang] or None)
        setattr(product, f"description_{lang}", description)
    brand = brand.strip()
    field_value_check(
        model=Brand, field_name="name", value=brand, label=str(_("brand")), error_field="brand"
    )
    weight_grams = whole_number_parse(weight_grams, model=Product, field_name="weight_grams")
    product.brand = (
        Brand.objects.get_or_create(store=product.store, name=brand)[0] if brand else None
    )
    product.tax_class, product.weight_grams, product.is_active = tax_class, weight_grams, is_active
    return categories


@transaction.atomic
def product_create(
    *,
    store: Store,
    names: Mapping[str, str],
    descriptions: Mapping[str, str] | None = None,
    variants: Sequence[VariantInput] = (),
    brand: str = "",
    category_slugs: Sequence[str] = (),
    tax_class: str = TaxClass.STANDARD,
    weight_grams: int | None = None,
    is_active: bool = True,
    vat_rates: Mapping[str, object] | None = None,
) -> Product:
    """A product with its text in up to three languages and its variants, all or nothing.
    ``vat_rates``: the product's own rate per country, where its goods category is not right."""
    product = Product(store=store)
    categories = _product_apply(
        product,
        names=names,
        descriptions=descriptions,
        brand=brand,
        category_slugs=category_slugs,
        tax_class=tax_class,
        weight_grams=weight_grams,
        is_active=is_active,
    )
    first_name = next(
        getattr(product, f"name_{lang}")
        for lang in (store.default_language, *CATALOG_LANGUAGES)
        if getattr(product, f"name_{lang}")
    )
    _product_insert(product, base=first_name)
    product.categories.set(categories)
    for variant in variants:
        variant_create(product=product, data=variant)
    if vat_rates:
        product_vat_rates_set(product=product, rates=vat_rates)
    products_search_index_refresh(product_ids=[product.pk])
    return product


@transaction.atomic
def category_create(
    *, store: Store, names: Mapping[str, str], parent: Category | None = None
) -> Category:
    name = next(
        (n.strip() for n in (names.get(lang) or "" for lang in CATALOG_LANGUAGES) if n.strip()), ""
    )
    if not name:
        raise CatalogError(
            CatalogErrorCode.NAME_REQUIRED, _("A category needs a name."), field="name"
        )
    fields = {"store": store, "name": name, "slug": slugify(name)[:140] or "category"}
    for lang in CATALOG_LANGUAGES:
        fields[f"name_{lang}"] = (names.get(lang) or "").strip() or None
    # treebeard places a node after reading its siblings' paths (and, the tree being sorted by
    # name, may shift them): two parallel additions would compute the same path. The categories
    # of all the merchant's stores share one tree, so one lock per merchant serialises them.
    advisory_xact_lock("catalog:category-tree")
    try:
        with transaction.atomic():
            if parent is not None:  # treebeard reads the parent again, under the lock
                return Category.objects.add_child(parent, create_kwargs=fields)
            return Category.objects.add_root(create_kwargs=fields)
    except IntegrityError as exc:
        if violated_constraint(exc) != "catalog_category_unique_slug":
            raise
        raise CatalogError(
            CatalogErrorCode.CATEGORY_EXISTS,
            _("A category “%(name)s” already exists.") % {"name": name},
            field="name",
        ) from exc


@transaction.atomic
def products_set_active(*, store: Store, product_ids: Sequence[int], active: bool) -> int:
    """Activate or deactivate several products of a store at once; returns how many changed."""
    changed = (
        Product.objects.filter(store=store, pk__in=list(product_ids))
        .exclude(is_active=active)
        .update(is_active=active)
    )
    return changed


def _feed_insert(*, store: Store) -> ProductFeed | None:
    """A new feed row for the store, or None when the store already has one (perhaps created
    a moment ago by a parallel request: the database refuses the second row)."""
    try:
        with transaction.atomic():
            return ProductFeed.objects.create(store=store, token=secrets.token_urlsafe(24))
    except IntegrityError as exc:
        if violated_constraint(exc) == "catalog_productfeed_store_id_key":
            return None
        raise


@transaction.atomic
def product_feed_get(*, store: Store) -> ProductFeed:
    """The store's feed address, created on first use (two first uses get the same one)."""
    feed = ProductFeed.objects.filter(store=store).first()
    return feed or _feed_insert(store=store) or ProductFeed.objects.get(store=store)


@transaction.atomic
def product_feed_rotate(*, store: Store) -> ProductFeed:
    """Give the feed a new secret address (the old one stops working)."""
    feed = ProductFeed.objects.select_for_update().filter(store=store).first()
    if feed is None:
        feed = _feed_insert(store=store)
        if feed is not None:
            return feed
        feed = ProductFeed.objects.select_for_update().get(store=store)
    feed.token = secrets.token_urlsafe(24)
    feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def product_update(
    *,
    product: Product,
    names: Mapping[str, str],
    descriptions: Mapping[str, str],
    brand: str = "",
    category_slugs: Sequence[str] = (),
    tax_class: str = TaxClass.STANDARD,
    weight_grams: int | None = None,
    is_active: bool = True,
    vat_rates: Mapping[str, object] | None = None,
) -> Product:
    """Change a product's fields; ``vat_rates`` (when given) replaces its own VAT rates."""
    categories = _product_apply(
        product,
        names=names,
        descriptions=descriptions,
        brand=brand,
        category_slugs=category_slugs,
        tax_class=tax_class,
        weight_grams=weight_grams,
        is_active=is_active,
    )
    product.save()
    product.categories.set(categories)
    if vat_rates is not None:
        product_vat_rates_set(product=product, rates=vat_rates)
    products_search_index_refresh(product_ids=[product.pk])
    return product


@transaction.atomic
def variant_update(*, variant: Variant, data: VariantInput, is_active: bool = True) -> Variant:
    """Change a variant's price, GTIN, options and status (its SKU stays)."""
    variant.price = _price(data.price, field_name="price")
    variant.compare_at_price = _price(
        data.compare_at_price, field_name="compare_at_price", required=False
    )
    variant.gtin = gtin_validate(gtin=data.gtin)
    variant.options = _options_check(data.options)
    variant.low_stock_threshold = data.low_stock_threshold
    variant.is_active = is_active
    variant.save()
    product_price_from_refresh(product=variant.product)
    products_search_index_refresh(product_ids=[variant.product_id])
    return variant


@dataclass(frozen=True)
class VariantChange:
    """One variant row of a product form: ``variant_id`` for an existing variant, else new."""

    data: VariantInput
    variant_id: int | None = None
    is_active: bool = True


@transaction.atomic
def product_save(
    *,
    store: Store,
    product: Product | None,
    fields: Mapping[str, Any],
    variants: Sequence[VariantChange],
) -> Product:
    """Create a product, or update it and its variants, as one change (all or nothing).

    A variant (de)activated may change whether the product has stock: the caller then asks
    inventory (``apps.inventory.services.products_stock_refresh``), which keeps that flag."""
    if product is None:
        return product_create(store=store, variants=[v.data for v in variants], **fields)
    product_update(product=product, **fields)
    existing = {v.pk: v for v in product.variants.all()}
    for change in variants:
        if change.variant_id in existing:
            variant_update(
                variant=existing[change.variant_id], data=change.data, is_active=change.is_active
            )
        elif change.variant_id is None:
            variant_create(product=product, data=change.data)
    return product


def products_in_stock_lock(
    *, product_ids: Sequence[int] = (), variant_ids: Sequence[int] = ()
) -> dict[int, bool]:
    """Lock these products (or the products of these variants) in primary-key order and return
    their "in stock" flag. Inventory computes the flag (the catalogue does not read stock): it
    locks first, so that the stock it then reads includes every change committed before."""
    if not product_ids and not variant_ids:
        return {}
    if variant_ids:
        owners = Variant.objects.filter(pk__in=list(variant_ids)).values("product_id")
        products = Product.objects.filter(pk__in=owners)
    else:
        products = Product.objects.filter(pk__in=list(product_ids))
    return dict(products.select_for_update().order_by("pk").values_list("pk", "in_stock"))


def products_in_stock_set(*, in_stock: Mapping[int, bool]) -> None:
    """Set Product.in_stock (for the "in stock" filters), as the inventory services computed it:
    one UPDATE per value, on the rows whose flag changes only."""
    for value in (True, False):
        ids = [product_id for product_id, flag in in_stock.items() if flag is value]
        if ids:
            Product.objects.filter(pk__in=ids).exclude(in_stock=value).update(in_stock=value)
