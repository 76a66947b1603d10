"""VAT identification numbers: format and check digits (python-stdnum), never the network."""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

# VAT prefixes that differ from the ISO country code.
PREFIX_TO_COUNTRY = {"EL": "GR"}


@dataclass(frozen=True)
class VatNumber:
    prefix: str  # as printed on invoices: EL for Greece, XI for Northern Ireland
    number: str  # without the prefix

    @property
    def country(self) -> str:
        """ISO country code of the issuing state (XI stays XI)."""
        return PREFIX_TO_COUNTRY.get(self.prefix, self.prefix)

    def __str__(self) -> str:
        return f"{self.prefix}{self.number}"


class InvalidVatNumber(ValueError):
    pass


def vat_number_parse(raw: str) -> VatNumber:
    """Normalise and check a VAT number like "DE 136 695 976" or "el094259216"."""
    try:
        compact = eu_vat.validate(raw or "")
    except StdnumError as exc:
        raise InvalidVatNumber(str(exc)) from exc
    prefix = compact[:2].upper()
    if prefix == "GR":  # stdnum accepts GR, but the VAT prefix of Greece is EL
        prefix = "EL"
    return VatNumber(prefix=prefix, number=compact[2:])
