from django.db.models import TextChoices

from apps.core.errors import DomainError


class TenancyErrorCode(TextChoices):
    NAME_REQUIRED = "name_required"
    SLUG_INVALID = "slug_invalid"
    SLUG_RESERVED = "slug_reserved"
    SLUG_TAKEN = "slug_taken"
    DOMAIN_INVALID = "domain_invalid"
    DOMAIN_TAKEN = "domain_taken"
    NOT_ARCHIVED = "not_archived"
    CONFIRMATION_MISMATCH = "confirmation_mismatch"
    STORE_SLUG_TAKEN = "store_slug_taken"
    STORE_NOT_FOUND = "store_not_found"
    LAST_OWNER = "last_owner"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    INVITATION_INVALID = "invitation_invalid"
    PASSWORD_WRONG = "password_wrong"  # noqa: S105 (an error code, not a secret)
    ALREADY_STAFF = "already_staff"


class TenancyError(DomainError):
    pass
