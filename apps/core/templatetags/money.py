"""{% load money %}: the one way templates show an amount ({{ price|money }}) or a count
({{ total|number }}) in the active language. A value that is not a number is shown as it is,
so a template never fails on bad data."""

from __future__ import annotations

from django import template

from apps.core.formatting import DEFAULT_CURRENCY, as_decimal, format_money, format_number

register = template.Library()


@register.filter(is_safe=True)
def money(value: object, currency: str | None = None) -> object:
    """{{ variant.price|money }} or {{ amount|money:store.currency }}."""
    number = as_decimal(value)
    if number is None:
        return "" if value is None else value
    return format_money(number, currency=currency or DEFAULT_CURRENCY)


@register.filter(is_safe=True)
def number(value: object) -> object:
    """{{ page.total|number }}: 12 378 (fr), 12.378 (de), 12,378 (en)."""
    parsed = as_decimal(value)
    if parsed is None:
        return "" if value is None else value
    return format_number(parsed)
