"""What the database accepts for catalogue values, read from the model fields in this one place.

The catalog services and the import preview call these same checks, so that a value the preview
accepts is one the services and the database accept: lengths (``max_length``), number ranges
(``max_digits``, PostgreSQL's integer range) and text PostgreSQL refuses (NUL characters).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.core.validation import field_errors

CENT = Decimal("0.01")


def field_value_check(
    *,
    model: type[models.Model],
    field_name: str,
    value,
    label: str | None = None,
    code: CatalogErrorCode = CatalogErrorCode.VALUE_INVALID,
    error_field: str | None = None,
) -> None:
    """Raise CatalogError when the column ``model.field_name`` would refuse ``value``: the
    field's own validators (max_length, max_digits and decimal places, integer range) and
    PostgreSQL's refusal of NUL characters in text. The error names ``error_field`` (the form or
    API field), by default the model field."""
    field = model._meta.get_field(field_name)
    label = label or str(field.verbose_name)
    if isinstance(value, str) and "\x00" in value:
        raise CatalogError(
            code,
            _("%(field)s contains a NUL character, which cannot be stored.") % {"field": label},
            field=error_field or field_name,
        )
    problems = field_errors(model, field_name, value)
    if problems:
        raise CatalogError(
            code,
            _("%(field)s: %(problem)s") % {"field": label, "problem": " ".join(problems)},
            field=error_field or field_name,
        )


def _labelled(message: str, label: str | None) -> str:
    return _("%(field)s: %(problem)s") % {"field": label, "problem": message} if label else message


def price_parse(
    value,
    *,
    model: type[models.Model],
    field_name: str,
    required: bool = True,
    label: str | None = None,
) -> Decimal | None:
    """A price for a money column: zero or more, at most two decimals, within max_digits."""
    if value in (None, "") and not required:
        return None
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise CatalogError(
            CatalogErrorCode.PRICE_INVALID,
            _labelled(_("“%(value)s” is not a price.") % {"value": value}, label),
            field=field_name,
        ) from exc
    if not price.is_finite() or price < 0:
        raise CatalogError(
            CatalogErrorCode.PRICE_INVALID,
            _labelled(
                _("A price is zero or more, with at most two decimals, not %(value)s.")
                % {"value": value},
                label,
            ),
            field=field_name,
        )
    # 12.500 is 12.50; the check of the magnitude comes first, Decimal("1e400").quantize()
    # raises instead of answering.
    if price.adjusted() < 20 and price == price.quantize(CENT):
        price = price.quantize(CENT)
    field_value_check(
        model=model,
        field_name=field_name,
        value=price,
        label=label,
        code=CatalogErrorCode.PRICE_INVALID,
    )
    return price


def whole_number_parse(
    value, *, model: type[models.Model], field_name: str, label: str | None = None
) -> int | None:
    """An integer column's value from text ("250", "250.0"); "" is None."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
        if not number.is_finite() or number != number.to_integral_value():
            raise InvalidOperation
    except (InvalidOperation, ValueError) as exc:
        raise CatalogError(
            CatalogErrorCode.VALUE_INVALID,
            _("%(field)s: “%(value)s” is not a whole number.")
            % {"field": label or field_name, "value": value},
            field=field_name,
        ) from exc
    # 1e999999 would make a huge int: anything past 20 digits is out of every range anyway.
    whole = int(number) if number.adjusted() < 20 else 10**20 * (1 if number > 0 else -1)
    field_value_check(model=model, field_name=field_name, value=whole, label=label)
    return whole
