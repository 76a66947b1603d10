from django import forms
from django.contrib import admin
from django.db import connection

from apps.vat.models import VatCategoryRate, VatRate


class _PeriodForm(forms.ModelForm):
    """Serialises the console's edits of one rate area, so the overlap check of the exclusion
    constraint (run by the model's validate_constraints) and the write cannot be interleaved by
    a second editor: the later one waits, then sees the first one's period as a form error."""

    def clean(self):
        cleaned = super().clean()
        country = (cleaned.get("country") or "").strip().upper()
        if country:
            cleaned["country"] = country
            with connection.cursor() as cursor:  # released when the admin's transaction ends
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))",
                    [f"{self._meta.model._meta.label}:{country}"],
                )
        return cleaned


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    """Rate periods. A change of rate is a new period (close the old one with "valid to"), so
    orders and invoices of the past keep the rates of their date; the console's history shows
    who changed what."""

    form = _PeriodForm
    list_display = [
        "country", "valid_from", "valid_to", "standard", "reduced", "reduced_2",
        "super_reduced", "parking",
    ]  # fmt: skip
    list_filter = ["country"]
    search_fields = ["country", "notes"]
    ordering = ["country", "-valid_from"]


@admin.register(VatCategoryRate)
class VatCategoryRateAdmin(admin.ModelAdmin):
    """The rate of each goods category per rate area and period (empty rate: the standard
    rate). Rows marked unverified are listed in docs/vat.md."""

    form = _PeriodForm
    list_display = ["country", "category", "valid_from", "valid_to", "rate", "verification"]
    list_filter = ["verification", "category", "country"]
    search_fields = ["country", "category", "sources", "notes"]
    ordering = ["country", "category", "-valid_from"]
