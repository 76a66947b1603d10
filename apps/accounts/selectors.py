"""Read queries for user accounts, in whichever schema is active."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import QuerySet

from apps.accounts.models import (
    Address,
    AddressKind,
    MarketingConsentRecord,
    ShopperProfile,
    User,
)
from apps.core.parsing import parse_id


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


def shopper_profile_get(*, user: User) -> ShopperProfile:
    """The shopper's profile; an unsaved empty one for accounts that never wrote theirs (staff,
    accounts made before profiles existed), its names split from the account's full name."""
    profile = ShopperProfile.objects.filter(user_id=user.pk).first()
    if profile is None:
        first, _space, last = (user.full_name or "").partition(" ")
        profile = ShopperProfile(user=user, first_name=first, last_name=last)
    return profile


def marketing_consent_history(*, user: User) -> QuerySet[MarketingConsentRecord]:
    return MarketingConsentRecord.objects.filter(user_id=user.pk)


def address_list(*, user: User) -> QuerySet[Address]:
    """The shopper's address book, defaults first, then the most recently changed."""
    return Address.objects.filter(user_id=user.pk)


def address_get(*, user: User, address_id: object) -> Address | None:
    """One of the shopper's own addresses; None for another shopper's, or an id that is not
    one (checkout forms post ids as text)."""
    pk = parse_id(address_id)
    if pk is None:
        return None
    return Address.objects.filter(user_id=user.pk, pk=pk).first()


def address_default(*, user: User, kind: str) -> Address | None:
    """The default shipping or billing address, if the book has any address."""
    if kind not in AddressKind.values:
        return None
    return Address.objects.filter(user_id=user.pk, **{f"is_default_{kind}": True}).first()
