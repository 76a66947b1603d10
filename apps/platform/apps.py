from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    """Pages of the platform's own host: the landing page (the console is Django admin)."""

    name = "apps.platform"
    verbose_name = _("Platform")
