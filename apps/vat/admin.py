from django.contrib import admin

from apps.vat.models import VatRate


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    """Rate periods. A change of rate is a new period (close the old one with "valid to"), so
    orders and invoices of the past keep the rates of their date; the console's history shows
    who changed what."""

    list_display = [
        "country", "valid_from", "valid_to", "standard", "reduced", "reduced_2",
        "super_reduced", "parking",
    ]  # fmt: skip
    list_filter = ["country"]
    search_fields = ["country", "notes"]
    ordering = ["country", "-valid_from"]
