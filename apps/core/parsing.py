"""Reading numbers and ids that people and clients type, in one place.

``str.isdigit()`` accepts "²" and "٣", which ``int()`` then refuses or reads as another number;
Decimal accepts "1e999999", which PostgreSQL cannot store. These readers accept only what the
database column can hold, and answer ``None`` for everything else, so callers turn that into a
clear message or a default.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import models

MAX_ID = 2**63 - 1  # bigint primary keys
_DIGITS = frozenset("0123456789")


def parse_id(raw: object) -> int | None:
    """A positive primary key written in ASCII digits, or None."""
    text = str(raw).strip() if raw is not None else ""
    if not text or len(text) > 19 or not set(text) <= _DIGITS:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(raws: list[str]) -> list[int]:
    """The valid ids of a list (a form's checkboxes), in order, without repeats."""
    seen: dict[int, None] = {}
    for raw in raws:
        number = parse_id(raw)
        if number is not None:
            seen.setdefault(number, None)
    return list(seen)


def page_number(raw: str | None, *, maximum: int | None = None) -> int:
    """A page number typed in a URL: anything but a positive whole number (or one past
    ``maximum``) is page 1."""
    number = parse_id(raw)
    if number is None or (maximum is not None and number >= maximum):
        return 1
    return number


def parse_decimal(raw: object, *, field: models.DecimalField) -> Decimal | None:
    """A finite number that ``field`` can store (its max_digits and decimal_places), or None.
    Accepts "12,50" as well as "12.50"."""
    if raw is None or isinstance(raw, bool):
        return None
    text = str(raw).strip().replace(",", ".")
    if not text or len(text) > 64 or not text.isascii():
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > field.decimal_places:
        return None  # more decimals than the column keeps
    whole_digits = field.max_digits - field.decimal_places
    if abs(number) >= Decimal(10) ** whole_digits:
        return None
    return number.quantize(Decimal(1).scaleb(-field.decimal_places))
