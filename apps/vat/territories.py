"""Where a delivery address lies for VAT: inside the EU VAT area (and which state's rules and
which rate area's rates apply) or outside it (Art. 5-7 Directive 2006/112/EC). Postal-code
patterns: ../shared/reference/regime_rules.md section 1 (ibericode/vat-rates exceptions,
kdeldycke/vat-rates) and docs/vat.md (rate areas)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from apps.vat.codes import EU_MEMBER_STATES

# (country, postal-code regex, territory name): in the member state, outside the EU VAT area.
_OUTSIDE_BY_POSTCODE: tuple[tuple[str, str, str], ...] = (
    ("ES", r"^(35|38)\d{3}$", "Canary Islands"),
    ("ES", r"^510(0[1-5]|7[01]|81)$", "Ceuta"),
    ("ES", r"^520(0[0-6]|7[01]|81)$", "Melilla"),
    ("FR", r"^97[1-8]\d{2}$", "French overseas department or collectivity"),
    ("FR", r"^98[4-9]\d{2}$", "French overseas collectivity"),
    ("FI", r"^22\d{3}$", "Åland Islands"),
    ("GR", r"^63086$", "Mount Athos"),
    ("DE", r"^27498$", "Heligoland"),
    ("DE", r"^78266$", "Büsingen am Hochrhein"),
    ("IT", r"^230(41|30)$", "Livigno"),
    ("IT", r"^2206[01]$", "Campione d'Italia"),
)
# (country, postal-code regex, rate area, name): inside the EU VAT area, with rates of their own.
# The VAT country stays the state (the OSS return reports PT, AT); only the rates differ.
_RATE_AREAS_BY_POSTCODE: tuple[tuple[str, str, str, str], ...] = (
    ("PT", r"^9[0-4]\d{2}(\d{3})?$", "PT-30", "Madeira"),
    ("PT", r"^9[5-9]\d{2}(\d{3})?$", "PT-20", "Azores"),
    # Art. 105(2): Austria's second standard rate in Jungholz and Mittelberg (Kleinwalsertal).
    ("AT", r"^6691$", "AT-JM", "Jungholz"),
    ("AT", r"^699[1-3]$", "AT-JM", "Mittelberg"),
)
# Where a rate may be set: the member states, Northern Ireland and the regional rate areas.
VAT_RATE_AREAS = frozenset(
    {*EU_MEMBER_STATES, "XI", *(area for *_, area, _n in _RATE_AREAS_BY_POSTCODE)}
)
# Country codes that are part of a member state for VAT (Art. 7) or name one differently.
_ALIASES = {"MC": "FR", "EL": "GR"}
# ISO codes of territories that have their own code but lie outside the EU VAT area.
_OUTSIDE_CODES = {
    "AX": "Åland Islands",
    "IC": "Canary Islands",
    "EA": "Ceuta and Melilla",
    "GP": "Guadeloupe",
    "MQ": "Martinique",
    "GF": "French Guiana",
    "RE": "Réunion",
    "YT": "Mayotte",
    "MF": "Saint-Martin",
}


@dataclass(frozen=True)
class Territory:
    country: str  # the country the address was given with (normalised ISO code)
    in_eu_vat_area: bool
    vat_country: str | None  # whose VAT rules apply (XI for Northern Ireland)
    name: str = ""
    rate_area: str | None = None  # whose rates apply at destination, if not vat_country's


def normalise_country(country: str) -> str:
    code = (country or "").strip().upper()
    return _ALIASES.get(code, code)


def territory_of(*, country: str, postal_code: str = "") -> Territory:
    code = (country or "").strip().upper()
    if code in _OUTSIDE_CODES:
        return Territory(code, False, None, _OUTSIDE_CODES[code])
    code = normalise_country(code)
    postal = re.sub(r"[\s-]", "", postal_code or "").upper()
    if postal.startswith(code) or (code == "GR" and postal.startswith("EL")):
        postal = postal[2:]  # "FI-22100", "L-1234" style prefixes
    elif (code == "LU" and postal.startswith("L")) or (code == "AT" and postal.startswith("A")):
        postal = postal[1:]  # "L-1234", "A-6991"
    for state, pattern, name in _OUTSIDE_BY_POSTCODE:
        if code == state and re.match(pattern, postal):
            return Territory(code, False, None, name)
    # Northern Ireland keeps EU VAT rules for goods (Windsor Framework); its addresses are often
    # given as GB with a BT postcode.
    if code in ("GB", "UK") and postal.startswith("BT"):
        return Territory(code, True, "XI", "Northern Ireland")
    for state, pattern, area, name in _RATE_AREAS_BY_POSTCODE:
        if code == state and re.match(pattern, postal):
            return Territory(code, True, code, name, area)
    if code in EU_MEMBER_STATES or code == "XI":
        return Territory(code, True, code)
    return Territory(code, False, None)
