"""One record per shopper per store (merchant schema): a registered shopper or a guest's email
address, with the statistics the merchant sorts and exports by. The orders services keep the
statistics in the same transaction as the order that changes them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import Language
from apps.tenancy.stores.models import Store

MONEY = {"max_digits": 14, "decimal_places": 2}


class Customer(models.Model):
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="customers", verbose_name=_("store")
    )
    # A registered shopper's account; empty for guests. One customer per account and store.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("email address"))  # lower case (services normalise it)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    marketing_consent = models.BooleanField(_("accepts marketing emails"), default=False)
    marketing_consent_at = models.DateTimeField(_("consent given or withdrawn"), null=True)
    # Statistics, kept by the orders services: orders not cancelled, their gross totals less
    # refunds, in the store's currency.
    orders_count = models.PositiveIntegerField(_("orders"), default=0)
    total_spent = models.DecimalField(_("total spent"), default=0, **MONEY)
    first_order_at = models.DateTimeField(_("first order"), null=True, blank=True)
    last_order_at = models.DateTimeField(_("last order"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "email"], name="customers_unique_email"),
            models.UniqueConstraint(
                fields=["store", "user"],
                condition=Q(user__isnull=False),
                name="customers_unique_user",
            ),
            models.CheckConstraint(
                condition=Q(total_spent__gte=0), name="customers_total_spent_gte_0"
            ),
        ]
        indexes = [
            models.Index(fields=["store", "-last_order_at"], name="customers_last_order"),
            models.Index(fields=["store", "-total_spent"], name="customers_total_spent"),
            models.Index(fields=["store", "-orders_count"], name="customers_orders_count"),
            models.Index(fields=["store", "last_name", "first_name"], name="customers_name"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)
