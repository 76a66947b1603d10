from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VatConfig(AppConfig):
    """EU VAT: the platform's rate table (public schema) and the pure decision engine."""

    name = "apps.vat"
    verbose_name = _("VAT")
