"""Money, numbers and dates follow the active language. French keeps CLDR's spaces: a narrow
no-break space (U+202F) between thousands and a no-break space (U+00A0) before the symbol."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from apps.core.formatting import format_money, format_number

NNBSP, NBSP = "\u202f", "\u00a0"


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load money %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", f"12{NNBSP}378,09{NBSP}€"),
        ("de", f"12.378,09{NBSP}€"),
        ("en", "€12,378.09"),
    ],
)
def test_money_filter_writes_the_amount_the_languages_way(language, expected):
    assert render("{{ amount|money }}", language, amount=Decimal("12378.09")) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", f"1{NNBSP}234{NNBSP}567"), ("de", "1.234.567"), ("en", "1,234,567")],
)
def test_number_filter_groups_thousands(language, expected):
    assert render("{{ n|number }}", language, n=1234567) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "23/11/2026"), ("de", "23.11.2026"), ("en", "11/23/2026")]
)
def test_short_dates_follow_the_language(language, expected):
    template = '{{ day|date:"SHORT_DATE_FORMAT" }}'
    assert render(template, language, day=date(2026, 11, 23)) == expected


def test_amounts_are_rounded_half_up_to_cents_like_every_amount_orion_computes():
    # Babel alone rounds half to even (0.125 -> 0.12); EN 16931 amounts round half up.
    assert format_money(Decimal("0.125"), language="en") == "€0.13"
    assert format_money(Decimal("2.5"), language="de") == f"2,50{NBSP}€"
    assert format_money("-3", language="fr") == f"-3,00{NBSP}€"


def test_an_unknown_language_falls_back_to_the_default():
    assert format_money(Decimal("1000"), language="xx") == "€1,000.00"
    assert format_number(Decimal("1000.5"), language="de") == "1.000,5"


@pytest.mark.parametrize("value", [None, "", "abc", "NaN", "Infinity", True])
def test_a_value_that_is_not_a_number_never_breaks_the_page(value):
    expected = "" if value in (None, "") else str(value)
    assert render("{{ v|money }}|{{ v|number }}", "fr", v=value) == f"{expected}|{expected}"


def test_format_money_refuses_what_is_not_an_amount():
    with pytest.raises(ValueError, match="not an amount"):
        format_money("twelve")


@pytest.mark.parametrize("language", ["fr", "de", "en"])
def test_plain_numbers_are_not_grouped_so_ids_and_years_stay_intact(language):
    # USE_THOUSAND_SEPARATOR is off: "?year={{ year }}" must not become "?year=2.026".
    assert render("{{ year }}/{{ pk }}", language, year=2026, pk=123456) == "2026/123456"
