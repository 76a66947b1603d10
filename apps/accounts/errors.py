from django.db.models import TextChoices

from apps.core.errors import DomainError


class AccountErrorCode(TextChoices):
    EMAIL_INVALID = "email_invalid"
    EMAIL_TAKEN = "email_taken"
    PASSWORD_INVALID = "password_invalid"  # noqa: S105 (an error code, not a secret)


class AccountError(DomainError):
    pass
