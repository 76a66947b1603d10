"""The limits of a value are those of the column that stores it: one function reads them from
the model field (max_length, the database's integer range, max_digits and decimal_places), so
services, forms and import previews refuse the same values, with the same words, before the
database would."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


def field_errors(model: type[models.Model], field_name: str, value: object) -> list[str]:
    """The messages of the model field's validators for ``value`` (empty when it fits)."""
    field = model._meta.get_field(field_name)
    if value in field.empty_values:
        return []
    try:
        field.run_validators(value)
    except ValidationError as error:
        return error.messages
    return []
