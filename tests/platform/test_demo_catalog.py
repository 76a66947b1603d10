"""Demo product names read as a native speaker would write them: French adjectives agree with
the noun's gender and number, German adjectives are declined before the noun."""

import pytest
from django_tenants.utils import tenant_context

from apps.catalog.models import Product
from apps.platform.demo_catalog import (
    FAMILIES,
    NOIR,
    ROUGE,
    Noun,
    Style,
    demo_catalog_load,
    product_description_fr,
    product_name_de,
    product_name_en,
    product_name_fr,
)

SHIRT = Noun("Chemise", "f", "Hemd", "n", "shirt")
SWEATER = Noun("Pull", "m", "Pullover", "m", "sweater")
SOCKS = Noun("Chaussettes", "fp", "Socken", "pl", "socks")
GLOVES = Noun("Gants", "mp", "Handschuhe", "pl", "gloves")
BEANIE = Noun("Bonnet", "m", "Mütze", "f", "beanie")
RED = Style(ROUGE, "rot", "adjective", "red")
BLACK = Style(NOIR, "schwarz", "adjective", "black")
WOOL = Style("en laine", "aus Wolle", "after", "wool")
ORGANIC = Style("bio", "Bio", "prefix", "organic")
HONEY = Noun("Miel", "m", "Honig", "m", "honey")


@pytest.mark.parametrize(
    ("noun", "style", "fr", "de", "en"),
    [
        (SOCKS, RED, "Chaussettes rouges", "Rote Socken", "Red socks"),
        (SHIRT, RED, "Chemise rouge", "Rotes Hemd", "Red shirt"),
        (SWEATER, RED, "Pull rouge", "Roter Pullover", "Red sweater"),
        (BEANIE, BLACK, "Bonnet noir", "Schwarze Mütze", "Black beanie"),
        (SHIRT, BLACK, "Chemise noire", "Schwarzes Hemd", "Black shirt"),
        (GLOVES, BLACK, "Gants noirs", "Schwarze Handschuhe", "Black gloves"),
        (SOCKS, BLACK, "Chaussettes noires", "Schwarze Socken", "Black socks"),
        (SOCKS, WOOL, "Chaussettes en laine", "Socken aus Wolle", "Wool socks"),
        (HONEY, ORGANIC, "Miel bio", "Bio-Honig", "Organic honey"),
    ],
)
def test_names_agree(noun, style, fr, de, en):
    assert (product_name_fr(noun, style), product_name_de(noun, style)) == (fr, de)
    assert product_name_en(noun, style) == en


def test_the_french_description_agrees_too():
    assert product_description_fr(SOCKS, RED).startswith("Chaussettes rouges, sélectionnées par")
    assert product_description_fr(SWEATER, WOOL).startswith("Pull en laine, sélectionné par")


def test_every_noun_and_style_of_the_demo_is_declared_for_agreement():
    for _category, _tax, nouns, styles, _prices in FAMILIES:
        for noun in nouns:
            assert noun.fr_form in {"m", "f", "mp", "fp"} and noun.de_form in {"m", "f", "n", "pl"}
        for style in styles:
            assert style.de_kind in {"after", "adjective", "prefix"}
            assert isinstance(style.fr, str) or len(style.fr) == 4


@pytest.mark.django_db
def test_the_demo_catalogue_stores_these_names(alpha):
    expected = {
        (product_name_fr(noun, style), product_name_de(noun, style), product_name_en(noun, style))
        for _category, _tax, nouns, styles, _prices in FAMILIES
        for noun in nouns
        for style in styles
    }
    with tenant_context(alpha.merchant):
        store = alpha.store()
        assert demo_catalog_load(store=store, products=40, seed=0) == 40
        stored = {(p.name_fr, p.name_de, p.name_en) for p in Product.objects.filter(store=store)}
    assert stored and stored <= expected
    # The old generator wrote "Socken rot", "Gants noir": never an adjective after a German noun.
    assert not [de for _fr, de, _en in stored if de.endswith((" rot", " schwarz", " natur"))]
