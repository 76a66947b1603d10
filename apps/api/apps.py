from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """REST interface: the store API (merchants' integrations) and later the shop API."""

    name = "apps.api"
    verbose_name = _("API")
