from django.db.models import TextChoices

from apps.core.errors import DomainError


class AccountErrorCode(TextChoices):
    EMAIL_INVALID = "email_invalid"
    EMAIL_TAKEN = "email_taken"
    PASSWORD_INVALID = "password_invalid"  # noqa: S105 (an error code, not a secret)
    # Shopper profiles and address books.
    FIELD_REQUIRED = "field_required"
    FIELD_INVALID = "field_invalid"
    LANGUAGE_INVALID = "language_invalid"
    COUNTRY_INVALID = "country_invalid"
    VAT_NUMBER_INVALID = "vat_number_invalid"
    ADDRESS_NOT_FOUND = "address_not_found"
    ADDRESS_LIMIT_REACHED = "address_limit_reached"
    ADDRESS_KIND_INVALID = "address_kind_invalid"


class AccountError(DomainError):
    pass
