from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VatRecordsConfig(AppConfig):
    """The merchant-schema half of VAT: store settings, VIES evidence, the VAT ledger."""

    name = "apps.vat.records"
    label = "vat_records"
    verbose_name = _("VAT records")
