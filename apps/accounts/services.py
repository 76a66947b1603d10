"""Use cases for user accounts. They act in whichever schema is active."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.errors import AccountError, AccountErrorCode
from apps.accounts.models import User
from apps.core.db import violated_constraint

# Unique indexes that mean "this address already has an account" (ours and allauth's).
EMAIL_CONSTRAINTS = frozenset(
    {"accounts_user_email_key", "accounts_user_email_ci_unique", "unique_verified_email"}
)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def email_validate(*, email: str) -> str:
    """Return the normalised address, or raise AccountError with a clear message."""
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise AccountError(
            AccountErrorCode.EMAIL_INVALID,
            _("“%(email)s” is not a valid email address.") % {"email": email},
            field="email",
        ) from exc
    return email


def password_validate(*, password: str, email: str = "") -> None:
    try:
        password_validation.validate_password(password, User(email=email))
    except ValidationError as exc:
        raise AccountError(
            AccountErrorCode.PASSWORD_INVALID, " ".join(exc.messages), field="password"
        ) from exc


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    email_verified: bool = False,
    is_platform_admin: bool = False,
) -> User:
    """Create a login in the active schema. ``password=None`` leaves it unusable (set later)."""
    email = email_validate(email=email)
    taken = AccountError(
        AccountErrorCode.EMAIL_TAKEN,
        _("An account with the email address %(email)s already exists.") % {"email": email},
        field="email",
    )
    if User.objects.filter(email__iexact=email).exists():  # the common case, before hashing
        raise taken
    if password is not None:
        password_validate(password=password, email=email)
    user = User(
        email=email,
        full_name=full_name,
        is_staff=is_platform_admin,
        is_superuser=is_platform_admin,
    )
    user.set_password(password) if password is not None else user.set_unusable_password()
    try:
        # A parallel request may create the same address after the check above: the unique
        # index (case-insensitive) refuses the second row.
        with transaction.atomic():
            user.save()
            EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=email_verified
            )
    except IntegrityError as exc:
        if violated_constraint(exc) not in EMAIL_CONSTRAINTS:
            raise
        raise taken from exc
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str) -> User:
    password_validate(password=password, email=user.email)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def user_claim_by_email_proof(*, user: User, password: str, full_name: str = "") -> User:
    """Hand an account to whoever just proved they read its address (a link mailed to it):
    their password replaces the old one, which also ends the account's other sessions, and the
    address counts as verified. Only for accounts that never proved their address themselves
    (see selectors.user_owns_email)."""
    password_validate(password=password, email=user.email)
    user.set_password(password)
    fields = ["password"]
    if full_name and not user.full_name:
        user.full_name = full_name
        fields.append("full_name")
    user.save(update_fields=fields)
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user
