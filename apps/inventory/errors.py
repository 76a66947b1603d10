from django.db.models import TextChoices

from apps.core.errors import DomainError


class InventoryErrorCode(TextChoices):
    QUANTITY_INVALID = "quantity_invalid"
    QUANTITY_TOO_LARGE = "quantity_too_large"
    INSUFFICIENT_STOCK = "insufficient_stock"
    REASON_REQUIRED = "reason_required"
    BELOW_RESERVED = "below_reserved"
    LOCATION_INACTIVE = "location_inactive"
    NOTHING_RESERVED = "nothing_reserved"
    REFERENCE_INVALID = "reference_invalid"
    REFERENCE_REUSED = "reference_reused"  # reserved already, for other lines


class InventoryError(DomainError):
    pass
