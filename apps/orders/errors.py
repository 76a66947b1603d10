from django.db.models import TextChoices

from apps.core.errors import DomainError


class OrderErrorCode(TextChoices):
    CHANNEL_INVALID = "channel_invalid"
    ACTOR_INVALID = "actor_invalid"
    STORE_INACTIVE = "store_inactive"
    LINES_EMPTY = "lines_empty"
    LINES_TOO_MANY = "lines_too_many"
    LINE_DUPLICATE = "line_duplicate"
    QUANTITY_INVALID = "quantity_invalid"
    VARIANT_UNAVAILABLE = "variant_unavailable"
    PRICE_INVALID = "price_invalid"
    PRICE_CHANGED = "price_changed"
    PRICE_NOT_ALLOWED = "price_not_allowed"
    TOTAL_CHANGED = "total_changed"
    AMOUNT_TOO_LARGE = "amount_too_large"
    OUT_OF_STOCK = "out_of_stock"
    EMAIL_INVALID = "email_invalid"
    LANGUAGE_INVALID = "language_invalid"
    ADDRESS_INVALID = "address_invalid"
    COUNTRY_UNKNOWN = "country_unknown"
    VAT_NUMBER_INVALID = "vat_number_invalid"
    VAT_UNDECIDABLE = "vat_undecidable"
    SHIPPING_INVALID = "shipping_invalid"
    PAYMENT_METHOD_INVALID = "payment_method_invalid"
    VALUE_INVALID = "value_invalid"
    TRANSITION_INVALID = "transition_invalid"
    NOT_SHIPPABLE = "not_shippable"
    SHIPMENT_LINES_INVALID = "shipment_lines_invalid"
    TRACKING_URL_INVALID = "tracking_url_invalid"
    RETURN_NOT_ALLOWED = "return_not_allowed"
    RETURN_LINES_INVALID = "return_lines_invalid"
    RETURN_STATUS_INVALID = "return_status_invalid"
    REFUND_INVALID = "refund_invalid"
    PAYMENT_STATUS_INVALID = "payment_status_invalid"
    SORT_INVALID = "sort_invalid"


class OrderError(DomainError):
    """``details``: machine-readable particulars for an interface to show next to the lines
    (which lines changed price, which SKUs are short)."""

    def __init__(self, code, message, *, field=None, details=None):
        super().__init__(code, message, field=field)
        self.details = list(details or [])
