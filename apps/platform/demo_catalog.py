"""A few hundred believable products for the demo stores, with categories, brands and stock."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify

from apps.catalog.models import Category, Product
from apps.catalog.services import VariantInput, category_create, product_create
from apps.inventory.models import StockLocation
from apps.inventory.services import stock_receive
from apps.tenancy.stores.models import Store


@dataclass(frozen=True)
class Noun:
    """A product noun with what its adjectives agree with: French gender and number ("m", "f",
    "mp", "fp"), German gender or plural ("m", "f", "n", "pl")."""

    fr: str
    fr_form: str
    de: str
    de_form: str
    en: str


@dataclass(frozen=True)
class Style:
    """What sets a product apart. French: an invariable phrase ("en laine", "bleu nuit") or an
    adjective's four forms (masculine, feminine, masculine plural, feminine plural). German: a
    phrase after the noun ("aus Wolle"), an adjective declined before it ("rot": "Rote Socken",
    "Rotes Schneidebrett") or a prefix ("Bio": "Bio-Honig")."""

    fr: str | tuple[str, str, str, str]
    de: str
    de_kind: str  # "after", "adjective" or "prefix"
    en: str


def _fr_agree(forms: str | tuple[str, str, str, str], noun_form: str) -> str:
    if isinstance(forms, str):
        return forms
    return forms[{"m": 0, "f": 1, "mp": 2, "fp": 3}[noun_form]]


# Strong declension (no article, nominative): roter Schal, rote Mütze, rotes Kissen, rote Socken.
_DE_ENDINGS = {"m": "er", "f": "e", "n": "es", "pl": "e"}


def product_name_fr(noun: Noun, style: Style) -> str:
    return f"{noun.fr} {_fr_agree(style.fr, noun.fr_form)}"


def product_name_de(noun: Noun, style: Style) -> str:
    if style.de_kind == "prefix":
        return f"{style.de}-{noun.de}"
    if style.de_kind == "adjective":
        adjective = style.de + _DE_ENDINGS[noun.de_form]
        return f"{adjective[0].upper()}{adjective[1:]} {noun.de}"
    return f"{noun.de} {style.de}"


def product_name_en(noun: Noun, style: Style) -> str:
    name = f"{style.en} {noun.en}"
    return name[0].upper() + name[1:]


def product_description_fr(noun: Noun, style: Style) -> str:
    chosen = _fr_agree(
        ("sélectionné", "sélectionnée", "sélectionnés", "sélectionnées"), noun.fr_form
    )
    return f"{product_name_fr(noun, style)}, {chosen} par notre boutique au Luxembourg."


# French adjectives that agree: masculine, feminine, masculine plural, feminine plural.
ROUGE = ("rouge", "rouge", "rouges", "rouges")
NOIR = ("noir", "noire", "noirs", "noires")
EMAILLE = ("émaillé", "émaillée", "émaillés", "émaillées")
ARTISANAL = ("artisanal", "artisanale", "artisanaux", "artisanales")
NATUREL = ("naturel", "naturelle", "naturels", "naturelles")

# (category fr/de/en, tax class, nouns, styles, price range in EUR)
FAMILIES = [
    (
        ("Vêtements", "Kleidung", "Clothing"),
        "standard",
        [Noun("Pull", "m", "Pullover", "m", "sweater"),
         Noun("Chaussettes", "fp", "Socken", "pl", "socks"),
         Noun("Écharpe", "f", "Schal", "m", "scarf"),
         Noun("Bonnet", "m", "Mütze", "f", "beanie"),
         Noun("Gants", "mp", "Handschuhe", "pl", "gloves")],
        [Style("en laine", "aus Wolle", "after", "wool"),
         Style("en coton bio", "aus Bio-Baumwolle", "after", "organic cotton"),
         Style("bleu nuit", "nachtblau", "adjective", "midnight blue"),
         Style(NOIR, "schwarz", "adjective", "black"),
         Style(ROUGE, "rot", "adjective", "red"),
         Style("pour enfants", "für Kinder", "after", "kids'")],
        (12, 120),
    ),
    (
        ("Cuisine", "Küche", "Kitchen"),
        "standard",
        [Noun("Casserole", "f", "Topf", "m", "pot"),
         Noun("Poêle", "f", "Pfanne", "f", "pan"),
         Noun("Tasse", "f", "Tasse", "f", "cup"),
         Noun("Assiette", "f", "Teller", "m", "plate"),
         Noun("Planche à découper", "f", "Schneidebrett", "n", "chopping board")],
        [Style("en fonte", "aus Gusseisen", "after", "cast iron"),
         Style(EMAILLE, "emailliert", "adjective", "enamelled"),
         Style("en grès", "aus Steingut", "after", "stoneware"),
         Style(ARTISANAL, "handgemacht", "adjective", "handmade")],
        (8, 160),
    ),
    (
        ("Épicerie fine", "Feinkost", "Delicatessen"),
        "foodstuffs",
        [Noun("Miel", "m", "Honig", "m", "honey"),
         Noun("Confiture", "f", "Konfitüre", "f", "jam"),
         Noun("Moutarde", "f", "Senf", "m", "mustard"),
         Noun("Chocolat", "m", "Schokolade", "f", "chocolate"),
         Noun("Café", "m", "Kaffee", "m", "coffee")],
        [Style("du Mullerthal", "aus dem Müllerthal", "after", "Mullerthal"),
         Style("bio", "Bio", "prefix", "organic"),
         Style("de la Moselle", "von der Mosel", "after", "Moselle"),
         Style(ARTISANAL, "handgemacht", "adjective", "craft")],
        (4, 30),
    ),
    (
        ("Maison", "Wohnen", "Home"),
        "standard",
        [Noun("Bougie", "f", "Kerze", "f", "candle"),
         Noun("Coussin", "m", "Kissen", "n", "cushion"),
         Noun("Lampe", "f", "Lampe", "f", "lamp"),
         Noun("Plaid", "m", "Decke", "f", "throw"),
         Noun("Vase", "m", "Vase", "f", "vase")],
        [Style("en lin", "aus Leinen", "after", "linen"),
         Style(NATUREL, "naturfarben", "adjective", "natural"),
         Style("bleu nuit", "nachtblau", "adjective", "midnight blue"),
         Style(ARTISANAL, "handgemacht", "adjective", "handmade")],
        (9, 140),
    ),
    (
        ("Vins", "Weine", "Wines"),
        "parking",
        [Noun("Crémant", "m", "Crémant", "m", "Crémant"),
         Noun("Riesling", "m", "Riesling", "m", "Riesling"),
         Noun("Pinot gris", "m", "Grauburgunder", "m", "Pinot Gris"),
         Noun("Auxerrois", "m", "Auxerrois", "m", "Auxerrois")],
        [Style("de la Moselle", "von der Mosel", "after", "Moselle"),
         Style("bio", "Bio", "prefix", "organic"),
         Style("millésime 2023", "Jahrgang 2023", "after", "2023"),
         Style("Premier Cru", "Premier Cru", "after", "Premier Cru")],
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
                "fr": product_name_fr(noun, style),
                "de": product_name_de(noun, style),
                "en": product_name_en(noun, style),
            },
            descriptions={
                "fr": product_description_fr(noun, style),
                "de": f"{product_name_de(noun, style)}, ausgewählt von unserem Geschäft in "
                "Luxemburg.",
                "en": f"{product_name_en(noun, style)}, chosen by our Luxembourg shop.",
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
