"""Stock a merchant can trust: a level per variant and location, and a ledger of every movement,
so that every figure can be explained (the sum of a level's movements is its current value)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.catalog.models import Variant


class StockLocation(models.Model):
    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class StockLevel(models.Model):
    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, related_name="stock_levels", verbose_name=_("variant")
    )
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, related_name="levels", verbose_name=_("location")
    )
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["variant_id", "location_id"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "location"], name="inventory_level_unique"),
            # The database itself refuses to oversell: available = on hand - reserved >= 0.
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="inventory_on_hand_gte_0"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="inventory_reserved_gte_0"),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="inventory_reserved_lte_on_hand"
            ),
        ]
        indexes = [
            # "In stock" filters look up only the levels with something available.
            models.Index(
                fields=["variant"],
                condition=Q(on_hand__gt=F("reserved")),
                name="inventory_level_available",
            )
        ]

    def __str__(self) -> str:
        return f"{self.variant.sku} @ {self.location}: {self.on_hand} ({self.reserved} reserved)"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ADJUSTMENT = "adjustment", _("Adjustment")
    RESERVATION = "reservation", _("Reservation")
    RELEASE = "release", _("Release")
    SHIPMENT = "shipment", _("Shipment")
    RETURN = "return", _("Return")
    COUNT = "count", _("Stock count")


class StockMovement(models.Model):
    """One change of a stock level. Append-only."""

    level = models.ForeignKey(
        StockLevel, on_delete=models.PROTECT, related_name="movements", verbose_name=_("level")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    on_hand_change = models.IntegerField(_("on-hand change"), default=0)
    reserved_change = models.IntegerField(_("reserved change"), default=0)
    on_hand_after = models.IntegerField(_("on hand after"))
    reserved_after = models.IntegerField(_("reserved after"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["level", "-id"], name="inventory_movement_level")]

    def __str__(self) -> str:
        return f"{self.kind} {self.on_hand_change:+d}/{self.reserved_change:+d}"


class StockReservation(models.Model):
    """A reference (an order, a cart) that has reserved stock: one row per reference, so that a
    retried or redelivered reservation finds it and reserves nothing more. Its lines are the
    reservation movements that carry the reference."""

    reference = models.CharField(_("reference"), max_length=80, unique=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock reservation")
        verbose_name_plural = _("stock reservations")

    def __str__(self) -> str:
        return self.reference
