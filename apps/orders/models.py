"""Orders (merchant schema): the order with snapshots of what was sold, to whom, where and at
which VAT; its lines, status history, shipments and returns. Everything a document or a page
later shows is copied here when the order is placed, never read back from the catalogue, the
customer record or the VAT table (those change; an order does not)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.customers.models import Customer
from apps.tenancy.models import Currency, Language
from apps.tenancy.stores.models import Store
from apps.vat.codes import Category, Regime, TaxClass
from apps.vat.records.models import VatNumberCheck

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class Channel(models.TextChoices):
    WEB = "web", _("Web shop")
    LETZSHOP = "letzshop", _("Letzshop")
    MANUAL = "manual", _("Manual entry")
    API = "api", _("API")


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    PROCESSING = "processing", _("Processing")
    PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


class ActorKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("System")
    LETZSHOP = "letzshop", _("Letzshop")


class OrderCounter(models.Model):
    """The last order number given per store and year. Allocated by one
    ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` in the order's transaction: the row stays
    locked until the order commits, and a rolled-back order gives its number back."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, verbose_name=_("store"))
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("order counter")
        verbose_name_plural = _("order counters")
        constraints = [
            models.UniqueConstraint(fields=["store", "year"], name="orders_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.store_id}/{self.year}: {self.last_number}"


class Order(models.Model):
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="orders", verbose_name=_("store")
    )
    # STORE-SLUG-YEAR-SEQUENCE, e.g. BOUTIQUE-2026-00042: unique per store (and, slugs being
    # unique, per merchant).
    number = models.CharField(_("order number"), max_length=64)
    # A reference that is safe to show in links (a guest's order page), never guessable.
    token = models.UUIDField(_("public reference"), default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # The order's id on its channel (Letzshop's order id, an API client's reference).
    external_reference = models.CharField(_("external reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    payment_status = models.CharField(
        _("payment status"),
        max_length=20,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
    )
    payment_method = models.CharField(_("payment method"), max_length=40, blank=True)

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("customer"),
    )
    email = models.EmailField(_("email address"))  # the address the order was placed with
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed by"),
    )

    # Addresses, copied: a change in the address book never changes an order.
    billing_name = models.CharField(_("billing name"), max_length=200)
    billing_company = models.CharField(_("billing company"), max_length=200, blank=True)
    billing_street = models.CharField(_("billing street"), max_length=200)
    billing_street2 = models.CharField(_("billing address line 2"), max_length=200, blank=True)
    billing_postal_code = models.CharField(_("billing postal code"), max_length=20, blank=True)
    billing_city = models.CharField(_("billing city"), max_length=100)
    billing_country = models.CharField(_("billing country"), max_length=2)
    billing_phone = models.CharField(_("billing phone"), max_length=40, blank=True)
    billing_vat_number = models.CharField(_("buyer's VAT number"), max_length=20, blank=True)
    shipping_name = models.CharField(_("shipping name"), max_length=200)
    shipping_company = models.CharField(_("shipping company"), max_length=200, blank=True)
    shipping_street = models.CharField(_("shipping street"), max_length=200)
    shipping_street2 = models.CharField(_("shipping address line 2"), max_length=200, blank=True)
    shipping_postal_code = models.CharField(_("shipping postal code"), max_length=20, blank=True)
    shipping_city = models.CharField(_("shipping city"), max_length=100)
    shipping_country = models.CharField(_("shipping country"), max_length=2)
    shipping_phone = models.CharField(_("shipping phone"), max_length=40, blank=True)
    buyer_is_business = models.BooleanField(_("business buyer"), default=False)

    # The VAT decision, as the VAT engine took it when the order was placed.
    supply_date = models.DateField(_("supply date"))
    prices_include_vat = models.BooleanField(_("unit prices include VAT"), default=True)
    vat_regime = models.CharField(_("VAT regime"), max_length=20, choices=Regime.choices)
    vat_country = models.CharField(_("VAT of"), max_length=2, blank=True)
    vat_rate_area = models.CharField(_("rate area"), max_length=5, blank=True)
    vat_category = models.CharField(
        _("VAT category"), max_length=2, choices=Category.choices, blank=True
    )
    vat_exemption_code = models.CharField(_("exemption reason code"), max_length=20, blank=True)
    vat_mention = models.JSONField(_("VAT mention"), default=dict, blank=True)  # {"fr": ...}
    # Per EN 16931 category and rate: [{"category", "rate", "taxable", "vat"}], amounts as text.
    vat_breakdown = models.JSONField(_("VAT breakdown"), default=list, blank=True)
    vat_needs_review = models.BooleanField(_("VAT to review"), default=False)
    vat_review_reason = models.CharField(_("VAT review reason"), max_length=300, blank=True)
    vat_number_check = models.ForeignKey(
        VatNumberCheck,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("VIES evidence"),
    )

    shipping_method = models.CharField(_("shipping method"), max_length=120, blank=True)
    shipping_amount = models.DecimalField(_("shipping price"), default=ZERO, **MONEY)
    shipping_net = models.DecimalField(_("shipping net"), default=ZERO, **MONEY)
    shipping_vat = models.DecimalField(_("shipping VAT"), default=ZERO, **MONEY)
    shipping_gross = models.DecimalField(_("shipping gross"), default=ZERO, **MONEY)

    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    total_net = models.DecimalField(_("net total"), **MONEY)  # BT-109
    total_vat = models.DecimalField(_("VAT total"), **MONEY)  # BT-110
    rounding_amount = models.DecimalField(_("rounding"), default=ZERO, **MONEY)  # BT-114
    total_gross = models.DecimalField(_("total"), **MONEY)  # BT-115: what the shopper pays
    refunded_amount = models.DecimalField(_("refunded"), default=ZERO, **MONEY)

    customer_note = models.TextField(_("customer's note"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)

    created_at = models.DateTimeField(_("placed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    # Emails sent at most once: each is claimed by an UPDATE ... WHERE ... IS NULL.
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    cancellation_sent_at = models.DateTimeField(_("cancellation sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="orders_unique_number"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0, refunded_amount__lte=F("total_gross")),
                name="orders_refund_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "-created_at"], name="orders_store_newest"),
            models.Index(fields=["store", "status", "-created_at"], name="orders_status"),
            models.Index(fields=["customer", "-created_at"], name="orders_customer"),
            models.Index(fields=["store", "external_reference"], name="orders_external_ref"),
            # Search: a number or its beginning ("boutique-2026-0004"), a name or an address.
            models.Index(
                OpClass(Upper("number"), name="text_pattern_ops"), name="orders_number_upper"
            ),
            GinIndex(OpClass(Upper("email"), name="gin_trgm_ops"), name="orders_email_trgm"),
            GinIndex(OpClass(Upper("billing_name"), name="gin_trgm_ops"), name="orders_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def lines_total_gross(self) -> Decimal:
        return self.total_gross - self.shipping_gross - self.rounding_amount

    @property
    def vat_rows(self) -> list[dict]:
        """The VAT breakdown with amounts as Decimal and the rate without trailing zeros
        (17, 5.5), for pages, emails and documents."""
        rows = []
        for row in self.vat_breakdown or []:
            rate = Decimal(row["rate"])
            rows.append(
                {
                    "category": row["category"],
                    "rate": rate.quantize(Decimal(1)) if rate == rate.to_integral() else rate,
                    "taxable": Decimal(row["taxable"]),
                    "vat": Decimal(row["vat"]),
                }
            )
        return rows

    @property
    def vat_mention_text(self) -> str:
        """The invoice mention (exemption, reverse charge) in the active language."""
        mention = self.vat_mention or {}
        language = (get_language() or "")[:2]
        return mention.get(language) or mention.get("en") or ""


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    variant = models.ForeignKey(
        "catalog.Variant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("variant"),
    )
    sku = models.CharField(_("SKU"), max_length=64)
    gtin = models.CharField(_("GTIN/EAN"), max_length=14, blank=True)
    product_name = models.CharField(_("product"), max_length=200)  # in the order's language
    options_text = models.CharField(_("options"), max_length=300, blank=True)
    # As the catalogue gave it: with VAT when the order's prices include VAT.
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField(_("quantity"))
    tax_class = models.CharField(_("goods category"), max_length=30, choices=TaxClass.choices)
    vat_category = models.CharField(_("VAT category"), max_length=2, choices=Category.choices)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2)
    net_amount = models.DecimalField(_("net amount"), **MONEY)  # BT-131
    # The line's share of its category's VAT (the category's VAT is what is owed; shares are
    # allocated so that they add up to it exactly).
    vat_amount = models.DecimalField(_("VAT"), **MONEY)
    gross_amount = models.DecimalField(_("amount"), **MONEY)  # net + VAT
    quantity_shipped = models.PositiveIntegerField(_("shipped"), default=0)
    quantity_returned = models.PositiveIntegerField(_("returned"), default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_line_quantity"),
            models.CheckConstraint(
                condition=Q(quantity_shipped__lte=F("quantity")), name="orders_line_shipped"
            ),
            models.CheckConstraint(
                condition=Q(quantity_returned__lte=F("quantity_shipped")),
                name="orders_line_returned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"

    @property
    def quantity_to_ship(self) -> int:
        return self.quantity - self.quantity_shipped


class OrderStatusChange(models.Model):
    """The order's history: every status it took, who moved it and why. Append-only."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("order")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=OrderStatus.choices, blank=True
    )  # empty for the order's creation
    to_status = models.CharField(_("to"), max_length=20, choices=OrderStatus.choices)
    actor_kind = models.CharField(_("by"), max_length=20, choices=ActorKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order status change")
        verbose_name_plural = _("order status changes")
        ordering = ["order_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} -> {self.to_status}"


class Shipment(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="shipments", verbose_name=_("order")
    )
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    tracking_url = models.URLField(_("tracking link"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("shipped"), auto_now_add=True)
    notified_at = models.DateTimeField(_("shopper notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["order_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.carrier} {self.tracking_number}".strip()


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("shipment")
    )
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.CASCADE, related_name="shipment_lines", verbose_name=_("line")
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["shipment_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_shipment_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.order_line_id}"


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    RECEIVED = "received", _("Received")
    REFUNDED = "refunded", _("Refunded")
    REJECTED = "rejected", _("Rejected")


class ReturnReason(models.TextChoices):
    WITHDRAWAL = "withdrawal", _("Changed their mind (right of withdrawal)")
    DAMAGED = "damaged", _("Arrived damaged")
    WRONG_ITEM = "wrong_item", _("Wrong article")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    OTHER = "other", _("Other")


class ReturnRequest(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="returns", verbose_name=_("order")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReturnReason.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    requested_by_kind = models.CharField(
        _("requested by"), max_length=20, choices=ActorKind.choices
    )
    # Set when the goods come back: put back on the shelf, or written off (damaged, unsellable).
    restocked = models.BooleanField(_("back in stock"), null=True, blank=True)
    refund_amount = models.DecimalField(_("refund amount"), null=True, blank=True, **MONEY)
    # The payment provider's id of the refund, once it is made (billing/payments issue).
    refund_reference = models.CharField(_("refund reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order_id} return {self.pk}"


class ReturnLine(models.Model):
    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines", verbose_name=_("return")
    )
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, related_name="return_lines", verbose_name=_("line")
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        ordering = ["return_request_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_return_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.order_line_id}"
