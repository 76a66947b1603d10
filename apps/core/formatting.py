"""Money and numbers written the way the active language writes them (CLDR data, via Babel).

fr: 12 378,09 €   de: 12.378,09 €   en: €12,378.09

CLDR's French uses a narrow no-break space (U+202F) between thousands and a no-break space
(U+00A0) before the symbol; we keep both, so an amount never breaks across two lines.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, get_currency_precision
from django.conf import settings
from django.utils.translation import get_language, to_locale

DEFAULT_CURRENCY = "EUR"


def babel_locale(*, language: str | None = None) -> Locale:
    """The CLDR locale of a Django language code ("fr", "de", "en-gb"), default: the active one."""
    for code in (language, get_language(), settings.LANGUAGE_CODE):
        if not code:
            continue
        try:
            return Locale.parse(to_locale(code))
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def as_decimal(value: object) -> Decimal | None:
    """A finite Decimal from a Decimal, int, float or numeric string; None for anything else."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        # str() first: Decimal(0.1) would carry the float's binary error into the amount.
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_money(
    amount: Decimal | int | str, *, currency: str = DEFAULT_CURRENCY, language: str | None = None
) -> str:
    """An amount in a currency, e.g. "12 378,09 €" in French. Rounded half-up to the currency's
    minor unit (cents), like every amount Orion computes; Babel alone would round half-even."""
    number = as_decimal(amount)
    if number is None:
        raise ValueError(f"not an amount: {amount!r}")
    currency = (currency or DEFAULT_CURRENCY).upper()
    exponent = Decimal(1).scaleb(-get_currency_precision(currency))
    number = number.quantize(exponent, rounding=ROUND_HALF_UP)
    return format_currency(number, currency, locale=babel_locale(language=language))


def format_number(value: Decimal | int | str, *, language: str | None = None) -> str:
    """A count or quantity with the language's grouping and decimal marks: "12 378" in French."""
    number = as_decimal(value)
    if number is None:
        raise ValueError(f"not a number: {value!r}")
    return format_decimal(
        number, locale=babel_locale(language=language), decimal_quantization=False
    )
