"""A few hundred believable products for the demo stores, with categories, brands and stock."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils.text import slugify

from apps.catalog.models import Category, Product
from apps.catalog.services import VariantInput, category_create, product_create
from apps.inventory.models import StockLocation
from apps.inventory.services import stock_receive
from apps.tenancy.stores.models import Store

# (category fr/de/en, tax class, nouns fr/de/en, styles fr/de/en, price range in EUR)
FAMILIES = [
    (
        ("Vêtements", "Kleidung", "Clothing"),
        "standard",
        [("Pull", "Pullover", "Sweater"), ("Chaussettes", "Socken", "Socks"),
         ("Écharpe", "Schal", "Scarf"), ("Bonnet", "Mütze", "Beanie"),
         ("Gants", "Handschuhe", "Gloves")],
        [("en laine", "aus Wolle", "wool"), ("en coton bio", "aus Bio-Baumwolle", "organic cotton"),
         ("bleu nuit", "nachtblau", "midnight blue"), ("noir", "schwarz", "black"),
         ("rouge", "rot", "red"), ("pour enfants", "für Kinder", "kids'")],
        (12, 120),
    ),
    (
        ("Cuisine", "Küche", "Kitchen"),
        "standard",
        [("Casserole", "Topf", "Pot"), ("Poêle", "Pfanne", "Pan"), ("Tasse", "Tasse", "Cup"),
         ("Assiette", "Teller", "Plate"),
         ("Planche à découper", "Schneidebrett", "Chopping board")],
        [("en fonte", "aus Gusseisen", "cast iron"), ("émaillée", "emailliert", "enamelled"),
         ("en grès", "aus Steingut", "stoneware"), ("artisanale", "handgemacht", "handmade")],
        (8, 160),
    ),
    (
        ("Épicerie fine", "Feinkost", "Delicatessen"),
        "foodstuffs",
        [("Miel", "Honig", "Honey"), ("Confiture", "Konfitüre", "Jam"),
         ("Moutarde", "Senf", "Mustard"), ("Chocolat", "Schokolade", "Chocolate"),
         ("Café", "Kaffee", "Coffee")],
        [("du Mullerthal", "aus dem Müllerthal", "Mullerthal"), ("bio", "Bio", "organic"),
         ("de la Moselle", "von der Mosel", "Moselle"), ("artisanal", "handgemacht", "craft")],
        (4, 30),
    ),
    (
        ("Maison", "Wohnen", "Home"),
        "standard",
        [("Bougie", "Kerze", "Candle"), ("Coussin", "Kissen", "Cushion"),
         ("Lampe", "Lampe", "Lamp"), ("Plaid", "Decke", "Throw"), ("Vase", "Vase", "Vase")],
        [("en lin", "aus Leinen", "linen"), ("naturel", "natur", "natural"),
         ("bleu nuit", "nachtblau", "midnight blue"), ("artisanal", "handgemacht", "handmade")],
        (9, 140),
    ),
    (
        ("Vins", "Weine", "Wines"),
        "parking",
        [("Crémant", "Crémant", "Crémant"), ("Riesling", "Riesling", "Riesling"),
         ("Pinot gris", "Grauburgunder", "Pinot gris"), ("Auxerrois", "Auxerrois", "Auxerrois")],
        [("de la Moselle", "von der Mosel", "Moselle"), ("bio", "Bio", "organic"),
         ("millésime 2023", "Jahrgang 2023", "2023 vintage"), ("Premier Cru", "Premier Cru",
          "Premier Cru")],
        (9, 45),
    ),
]  # fmt: skip
BRANDS = ["Atelier Alzette", "Mosel & Co", "Lëtzebuerger Handwierk", "Maison Demo", "Nordlicht"]
SIZES = ["S", "M", "L"]


def demo_catalog_load(*, store: Store, products: int, seed: int) -> int:
    """Create ``products`` products in ``store`` (nothing if it already has products)."""
    if Product.objects.filter(store=store).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo data)
    main = StockLocation.objects.get(code="main")
    strassen, _ = StockLocation.objects.get_or_create(
        code="strassen", defaults={"name": "Strassen", "position": 1}
    )
    made = 0
    for n in range(products):
        (category_names, tax_class, nouns, styles, (low, high)) = FAMILIES[n % len(FAMILIES)]
        slug = slugify(category_names[0])
        category = Category.objects.filter(store=store, slug=slug).first() or category_create(
            store=store, names=dict(zip(("fr", "de", "en"), category_names, strict=True))
        )
        noun, style = rng.choice(nouns), rng.choice(styles)
        price = Decimal(rng.randint(low * 100, high * 100)) / 100
        sized = category_names[0] == "Vêtements"
        variants = [
            VariantInput(
                sku=f"{store.slug[:3].upper()}-{n:04d}{'-' + size if sized else ''}",
                price=price,
                options={"size": size} if sized else {},
                low_stock_threshold=3,
            )
            for size in (SIZES if sized else [None])
        ]
        product = product_create(
            store=store,
            names={
                "fr": f"{noun[0]} {style[0]}",
                "de": f"{noun[1]} {style[1]}",
                "en": f"{style[2].capitalize()} {noun[2].lower()}",
            },
            descriptions={
                "fr": f"{noun[0]} {style[0]}, sélectionné par notre boutique au Luxembourg.",
                "de": f"{noun[1]} {style[1]}, ausgewählt von unserem Geschäft in Luxemburg.",
                "en": f"{style[2].capitalize()} {noun[2].lower()}, chosen by our Luxembourg shop.",
            },
            brand=rng.choice(BRANDS),
            category_slugs=[category.slug],
            tax_class=tax_class,
            variants=variants,
        )
        for variant in product.variants.all():
            quantity = rng.choice([0, 2, 5, 12, 30])
            if quantity:
                stock_receive(
                    variant=variant,
                    location=main if rng.random() < 0.7 else strassen,
                    quantity=quantity,
                    reference="DEMO-INITIAL",
                )
        made += 1
    return made
