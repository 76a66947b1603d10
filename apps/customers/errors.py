from django.db.models import TextChoices

from apps.core.errors import DomainError


class CustomerErrorCode(TextChoices):
    EMAIL_INVALID = "email_invalid"
    VALUE_INVALID = "value_invalid"
    LANGUAGE_INVALID = "language_invalid"
    SORT_INVALID = "sort_invalid"


class CustomerError(DomainError):
    pass
