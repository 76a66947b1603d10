"""The platform's view of its merchants (public schema).

A merchant is a django-tenants tenant: one PostgreSQL schema holds all of its data. Its stores,
staff and everything they sell live in that schema (see apps.tenancy.stores).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_tenants.models import DomainMixin, TenantMixin


class Plan(models.TextChoices):
    TRIAL = "trial", _("Trial")
    STARTER = "starter", _("Starter")
    GROWTH = "growth", _("Growth")
    PRO = "pro", _("Pro")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class Currency(models.TextChoices):
    EUR = "EUR", _("Euro")


class Merchant(TenantMixin):
    slug = models.SlugField(
        _("slug"),
        max_length=40,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens; names the dashboard host."),
    )
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    country = CountryField(_("country of establishment"), default="LU")
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices, default=Plan.TRIAL)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    # The schema is created by tenancy.services.merchant_provision (a copy of the template
    # schema), never implicitly by save(); dropping it needs merchant_delete's confirmation.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Domain(DomainMixin):
    """A host name and what it serves.

    Without ``store_id`` the host serves the merchant's dashboard and store API; with it, the
    storefront and shop API of that store. ``store_id`` names a row in the merchant's own schema,
    so it cannot be a database foreign key.
    """

    store_id = models.PositiveBigIntegerField(
        _("store"),
        null=True,
        blank=True,
        help_text=_("Empty for the merchant dashboard host; a store's id for its storefront."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    @property
    def serves_storefront(self) -> bool:
        return self.store_id is not None


class PlatformSettings(models.Model):
    """Platform-wide defaults that a store may override. There is exactly one row."""

    default_language = models.CharField(
        _("default language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    default_currency = models.CharField(
        _("default currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    default_country = CountryField(_("default country"), default="LU")
    support_email = models.EmailField(_("support email"), default="support@orion.localhost")
    merchant_signup_open = models.BooleanField(_("merchant sign-up open"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("platform settings")
        verbose_name_plural = _("platform settings")

    def __str__(self) -> str:
        return str(_("Platform settings"))
