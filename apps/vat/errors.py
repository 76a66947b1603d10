from django.db.models import TextChoices

from apps.core.errors import DomainError


class VatErrorCode(TextChoices):
    VAT_NUMBER_INVALID = "vat_number_invalid"
    NO_RATE = "no_rate"
    SELLER_OUTSIDE_EU = "seller_outside_eu"
    BAD_LINE = "bad_line"
    BAD_PERIOD = "bad_period"
    REFERENCE_INVALID = "reference_invalid"


class VatError(DomainError):
    pass
