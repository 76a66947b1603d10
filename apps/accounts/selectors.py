"""Read queries for user accounts, in whichever schema is active."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from apps.accounts.models import User


def user_for_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=(email or "").strip()).first()


def user_owns_email(*, user: User) -> bool:
    """Whether the account has shown it belongs to whoever reads its address: the address was
    verified and the account has a password to prove itself with. An account made by signing up
    with someone else's address, never confirmed, has not."""
    return (
        user.has_usable_password()
        and EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )
