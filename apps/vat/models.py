"""The platform's table of EU VAT rates (public schema), one row per state and period."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

RATE = {"max_digits": 5, "decimal_places": 2}


class VatRate(models.Model):
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO code; GR for Greece, XI for Northern Ireland")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="vat_rate_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.country} {self.valid_from.isoformat()} – {end}: {self.standard}%"

    def clean(self):
        overlapping = VatRate.objects.filter(country=self.country).exclude(pk=self.pk)
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        overlapping = overlapping.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if overlapping.exists():
            raise ValidationError(
                _("This period overlaps %(other)s. Close that period first.")
                % {"other": overlapping.first()}
            )
