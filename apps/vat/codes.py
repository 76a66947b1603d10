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
    """What a product is, for VAT. Goods categories (``books``...) name the goods; each member
    state maps them to a rate, effective-dated (``vat.VatCategoryRate``). Rate kinds
    (``reduced``...) name a kind of rate of the country whose VAT applies; they are kept for
    existing data, but their meaning shifts when a state adds or moves a rate."""

    STANDARD = "standard", _("Standard goods (standard rate)")
    BOOKS = "books", _("Books, printed")
    EBOOKS = "ebooks", _("E-books")
    NEWSPAPERS = "newspapers", _("Newspapers and periodicals")
    FOODSTUFFS = "foodstuffs", _("Foodstuffs")
    NON_ALCOHOLIC_BEVERAGES = "non_alcoholic_beverages", _("Non-alcoholic beverages")
    CHILDREN_CLOTHING = "children_clothing", _("Children's clothing and footwear")
    PHARMACEUTICALS = "pharmaceuticals", _("Medicines (without prescription)")
    MEDICAL_DEVICES = "medical_devices", _("Medical equipment and aids for disabled people")
    FLOWERS_PLANTS = "flowers_plants", _("Flowers and plants")
    ZERO_RATED = "zero_rated", _("Zero-rated goods")
    REDUCED = "reduced", _("Rate kind: reduced rate")
    REDUCED_2 = "reduced_2", _("Rate kind: second reduced rate")
    SUPER_REDUCED = "super_reduced", _("Rate kind: super-reduced rate")
    PARKING = "parking", _("Rate kind: parking rate")
    ZERO = "zero", _("Rate kind: zero rate")


# Goods categories whose rate each state's row in vat.VatCategoryRate gives. ``standard`` takes
# the standard rate and ``zero_rated`` 0% everywhere, so they need no rows.
TABLE_CATEGORIES = (
    TaxClass.BOOKS,
    TaxClass.EBOOKS,
    TaxClass.NEWSPAPERS,
    TaxClass.FOODSTUFFS,
    TaxClass.NON_ALCOHOLIC_BEVERAGES,
    TaxClass.CHILDREN_CLOTHING,
    TaxClass.PHARMACEUTICALS,
    TaxClass.MEDICAL_DEVICES,
    TaxClass.FLOWERS_PLANTS,
)
GOODS_CATEGORIES = frozenset(
    str(c) for c in (TaxClass.STANDARD, TaxClass.ZERO_RATED, *TABLE_CATEGORIES)
)
RATE_KINDS = frozenset(
    str(c)
    for c in (
        TaxClass.REDUCED,
        TaxClass.REDUCED_2,
        TaxClass.SUPER_REDUCED,
        TaxClass.PARKING,
        TaxClass.ZERO,
    )
)


class Verification(models.TextChoices):
    """How a row of the category-rate table was checked (docs/vat.md lists the unverified)."""

    TEDB = "tedb-2025", _("TEDB, situation 2025")
    NEWS = "news", _("Dated by named secondary sources")
    DIRECTIVE = "directive", _("Standard rate: no reduced rate allowed (Annex III)")
    UNVERIFIED = "unverified", _("Not verified")


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
