"""The platform's tables of EU VAT rates (public schema): the rates of each rate area per period,
and the rate of each goods category per rate area and period.

No two periods of one rate area (or of one category in one area) may overlap: PostgreSQL refuses
it with an exclusion constraint (btree_gist), and the console's forms check the same constraint
first, so an overlap is a form error there, never a half-written table."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from apps.vat.codes import TABLE_CATEGORIES, Verification

RATE = {"max_digits": 5, "decimal_places": 2}
# A member state (FR), Northern Ireland (XI) or a regional rate area (PT-30, PT-20, AT-JM).
AREA_HELP = _(
    "ISO code (GR for Greece, XI for Northern Ireland) or a regional rate area: PT-30 Madeira, "
    "PT-20 Azores, AT-JM Jungholz and Mittelberg"
)


class DateRange(Func):
    """PostgreSQL's daterange(lower, upper, bounds); a missing upper bound is open-ended."""

    function = "DATERANGE"
    output_field = DateRangeField()


def _period_range() -> DateRange:
    # Both ends inclusive, as valid_from/valid_to are.
    return DateRange("valid_from", "valid_to", Value("[]"))


def _period_ordered(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
        name=name,
        violation_error_message=_("A period must end on or after the day it starts."),
    )


class _Period(models.Model):
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        # A reversed period would make the overlap query itself fail (an empty daterange is an
        # error in PostgreSQL): report it as the form error it is, before the constraints run.
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("A period must end on or after the day it starts.")}
            )
        super().validate_constraints(exclude=exclude)


class VatRate(_Period):
    country = models.CharField(_("rate area"), max_length=5, help_text=AREA_HELP)
    standard = models.DecimalField(_("standard rate"), **RATE)
    reduced = models.DecimalField(_("reduced rate"), null=True, blank=True, **RATE)
    reduced_2 = models.DecimalField(_("second reduced rate"), null=True, blank=True, **RATE)
    super_reduced = models.DecimalField(_("super-reduced rate"), null=True, blank=True, **RATE)
    parking = models.DecimalField(_("parking rate"), null=True, blank=True, **RATE)
    sources = models.CharField(_("sources"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("VAT rate period")
        verbose_name_plural = _("VAT rate periods")
        ordering = ["country", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["country", "valid_from"], name="vat_rate_unique_start"),
            _period_ordered("vat_rate_period_ordered"),
            ExclusionConstraint(
                name="vat_rate_no_overlap",
                expressions=[
                    ("country", RangeOperators.EQUAL),
                    (_period_range(), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_(
                    "This period overlaps another period of the same rate area. Close that "
                    "period first (set its “valid to”)."
                ),
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.country} {self.valid_from.isoformat()} – {end}: {self.standard}%"


class VatCategoryRate(_Period):
    """The rate of one goods category in one rate area for a period, with its sources.

    An empty rate means the standard rate of the area on the day (so a standard-rate change, or
    Jungholz's 19%, needs no row here). A regional area lists only the categories whose rate
    differs from its state's."""

    country = models.CharField(_("rate area"), max_length=5, help_text=AREA_HELP)
    category = models.CharField(
        _("goods category"),
        max_length=30,
        choices=[(str(c), c.label) for c in TABLE_CATEGORIES],
    )
    rate = models.DecimalField(
        _("rate"),
        null=True,
        blank=True,
        help_text=_("Empty: the standard rate of the rate area on the day."),
        **RATE,
    )
    sources = models.CharField(_("sources"), max_length=300, blank=True)
    verification = models.CharField(
        _("verification"),
        max_length=20,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("VAT rate of a goods category")
        verbose_name_plural = _("VAT rates of goods categories")
        ordering = ["country", "category", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "category", "valid_from"], name="vat_category_rate_unique_start"
            ),
            _period_ordered("vat_category_rate_period_ordered"),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | Q(rate__gte=0, rate__lt=100),
                name="vat_category_rate_percent",
                violation_error_message=_("A rate is a percentage from 0 to 100."),
            ),
            ExclusionConstraint(
                name="vat_category_rate_no_overlap",
                expressions=[
                    ("country", RangeOperators.EQUAL),
                    ("category", RangeOperators.EQUAL),
                    (_period_range(), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_(
                    "This period overlaps another period of the same category in the same rate "
                    "area. Close that period first (set its “valid to”)."
                ),
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        rate = "standard" if self.rate is None else f"{self.rate}%"
        return f"{self.country} {self.category} {self.valid_from.isoformat()} – {end}: {rate}"
