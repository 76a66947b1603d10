from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    """The tenant-schema half of tenancy: a merchant's stores and staff."""

    name = "apps.tenancy.stores"
    label = "stores"
    verbose_name = _("Stores and staff")
