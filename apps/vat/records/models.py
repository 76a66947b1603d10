"""A merchant's VAT data (merchant schema): settings per store, VIES evidence, and the ledger
of taxed sales that the OSS threshold and the OSS return are computed from."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.tenancy.stores.models import Store
from apps.vat.codes import Category, Regime

MONEY = {"max_digits": 14, "decimal_places": 2}


class CrossBorderPrices(models.TextChoices):
    KEEP_GROSS = "keep_gross", _("Keep the gross price (the shopper pays the same everywhere)")
    KEEP_NET = "keep_net", _("Keep the net price (the destination's VAT is added)")


class ViesUnavailablePolicy(models.TextChoices):
    CHARGE_AND_REVIEW = "charge_and_review", _("Charge VAT and flag the order for review")
    EXEMPT_AND_REVIEW = (
        "exempt_and_review",
        _("Trust a well-formed number, exempt the sale and flag the order for review"),
    )


class StoreVatSettings(models.Model):
    store = models.OneToOneField(
        Store, on_delete=models.CASCADE, related_name="vat_settings", verbose_name=_("store")
    )
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    oss_registered = models.BooleanField(_("registered for the Union OSS"), default=False)
    oss_registered_since = models.DateField(_("OSS registration date"), null=True, blank=True)
    prices_include_vat = models.BooleanField(_("catalogue prices include VAT"), default=True)
    cross_border_prices = models.CharField(
        _("prices for other EU countries"),
        max_length=20,
        choices=CrossBorderPrices.choices,
        default=CrossBorderPrices.KEEP_GROSS,
    )
    vies_unavailable_policy = models.CharField(
        _("when VIES cannot be reached"),
        max_length=20,
        choices=ViesUnavailablePolicy.choices,
        default=ViesUnavailablePolicy.CHARGE_AND_REVIEW,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("store VAT settings")
        verbose_name_plural = _("store VAT settings")

    def __str__(self) -> str:
        return f"{self.store}: {self.vat_number or '-'}"


class ViesCheckStatus(models.TextChoices):
    VALID = "valid", _("valid")
    INVALID = "invalid", _("invalid")
    UNAVAILABLE = "unavailable", _("VIES unavailable")


class VatNumberCheck(models.Model):
    """Evidence of one VIES consultation, kept as the tax office expects."""

    vat_number = models.CharField(_("VAT number"), max_length=20, db_index=True)
    status = models.CharField(_("result"), max_length=12, choices=ViesCheckStatus.choices)
    name = models.CharField(_("registered name"), max_length=300, blank=True)
    address = models.TextField(_("registered address"), blank=True)
    request_date = models.DateField(_("VIES request date"), null=True, blank=True)
    consultation_number = models.CharField(_("consultation number"), max_length=40, blank=True)
    requester = models.CharField(_("checked by (VAT number)"), max_length=20, blank=True)
    error = models.CharField(_("error"), max_length=60, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    raw = models.JSONField(_("VIES answer"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("VAT number check")
        verbose_name_plural = _("VAT number checks")
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.vat_number}: {self.status}"


class VatLedgerEntry(models.Model):
    """One VAT category of one sale: what the OSS threshold and the OSS return add up."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, verbose_name=_("store"))
    reference = models.CharField(_("reference"), max_length=60, help_text=_("order number"))
    supply_date = models.DateField(_("supply date"))
    regime = models.CharField(_("regime"), max_length=20, choices=Regime.choices)
    destination_country = models.CharField(_("delivered to"), max_length=2)
    vat_country = models.CharField(_("VAT of"), max_length=2, blank=True)
    category = models.CharField(_("VAT category"), max_length=2, choices=Category.choices)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=2)
    taxable = models.DecimalField(_("taxable amount"), **MONEY)
    vat = models.DecimalField(_("VAT"), **MONEY)
    counts_toward_threshold = models.BooleanField(_("EU distance sale"), default=False)
    # The entries written by one recording of a sale share this value; a second recording of
    # the same reference (a retried or redelivered call) is refused by the constraint below.
    recording = models.UUIDField(_("recording"), editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("VAT ledger entry")
        verbose_name_plural = _("VAT ledger entries")
        ordering = ["supply_date", "id"]
        indexes = [
            models.Index(fields=["supply_date", "regime"], name="vat_ledger_date_regime"),
        ]
        constraints = [
            # A sale is in the ledger once: all entries of a (store, reference) come from one
            # recording (btree_gist gives GiST the = and <> of plain columns).
            ExclusionConstraint(
                name="vat_ledger_one_recording_per_sale",
                expressions=[
                    ("store", RangeOperators.EQUAL),
                    ("reference", RangeOperators.EQUAL),
                    ("recording", RangeOperators.NOT_EQUAL),
                ],
                violation_error_message=_("This sale is already in the VAT ledger."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.category} {self.rate}%: {self.taxable} + {self.vat}"
