"""The vocabulary of VAT decisions: regimes, tax classes, EN 16931 codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Regime(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic supply")
    OSS = "oss", _("Distance sale taxed at destination (OSS)")
    ORIGIN = "origin", _("Distance sale taxed at origin (below the EU threshold)")
    INTRA_COMMUNITY = "intra_community", _("Exempt intra-Community supply")
    EXPORT = "export", _("Export outside the EU VAT area")


class TaxClass(models.TextChoices):
    STANDARD = "standard", _("Standard rate")
    REDUCED = "reduced", _("Reduced rate")
    SUPER_REDUCED = "super_reduced", _("Super-reduced rate")
    PARKING = "parking", _("Parking rate")
    ZERO = "zero", _("Zero rate")


class Category(models.TextChoices):
    """EN 16931 VAT category codes (UNCL5305 subset, BT-118/BT-151)."""

    STANDARD = "S", _("Standard rated")
    ZERO = "Z", _("Zero rated goods")
    EXEMPT = "E", _("Exempt from VAT")
    REVERSE_CHARGE = "AE", _("VAT reverse charge")
    INTRA_COMMUNITY = "K", _("Intra-community supply")
    EXPORT = "G", _("Export outside the EU")
    OUTSIDE_SCOPE = "O", _("Not subject to VAT")


class ExemptionCode(models.TextChoices):
    """CEF VATEX codes (BT-121) for the exemptions the engine applies."""

    INTRA_COMMUNITY = "VATEX-EU-IC", _("Intra-Community supply")
    EXPORT = "VATEX-EU-G", _("Export outside the EU")


# The EU-wide threshold of Art. 59c Directive 2006/112/EC, net of VAT, per calendar year.
DISTANCE_SALES_THRESHOLD = "10000.00"

EU_MEMBER_STATES = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip
