"""Use cases for user accounts. They act in whichever schema is active."""

from __future__ import annotations

from dataclasses import dataclass, fields

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from apps.accounts.errors import AccountError, AccountErrorCode
from apps.accounts.models import (
    Address,
    AddressKind,
    ConsentSource,
    MarketingConsentRecord,
    ShopperProfile,
    User,
)
from apps.core.db import violated_constraint
from apps.core.validation import field_errors
from apps.vat.numbers import InvalidVatNumber, vat_number_parse

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
    their password and name replace the old ones, which also ends the account's other
    sessions, and the address counts as verified. Only for accounts that never proved their
    address themselves (see selectors.user_owns_email)."""
    password_validate(password=password, email=user.email)
    user.set_password(password)
    # Whatever the unproven holder wrote (names, marketing consent, addresses) was not the
    # owner's word: it goes with their password.
    user.full_name, user.language = full_name, ""
    user.save(update_fields=["password", "full_name", "language"])
    ShopperProfile.objects.filter(user=user).delete()
    MarketingConsentRecord.objects.filter(user=user).delete()
    Address.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


# --- Shopper profiles --------------------------------------------------------------------------


def _text(value: object) -> str:
    return str(value).strip() if value is not None else ""


def _check_field(*, model: type, field: str, value: str, required: bool) -> str:
    """The value if the column takes it; else AccountError naming the field."""
    if required and not value:
        raise AccountError(
            AccountErrorCode.FIELD_REQUIRED, _("This field is required."), field=field
        )
    errors = field_errors(model, field, value)
    if errors:
        raise AccountError(AccountErrorCode.FIELD_INVALID, errors[0], field=field)
    return value


def language_validate(*, language: str) -> str:
    language = _text(language).lower()
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise AccountError(
            AccountErrorCode.LANGUAGE_INVALID,
            _("Choose one of the languages offered."),
            field="language",
        )
    return language


def _consent_set(
    *, profile: ShopperProfile, given: bool, source: str, store_id: int | None
) -> None:
    """Change the consent and write its proof; nothing when it does not change."""
    if profile.marketing_consent == given and profile.marketing_consent_changed_at is not None:
        return
    if not given and profile.marketing_consent_changed_at is None:
        return  # never given: nothing to withdraw, nothing to prove
    now = timezone.now()
    profile.marketing_consent = given
    profile.marketing_consent_changed_at = now
    MarketingConsentRecord.objects.create(
        user_id=profile.user_id, given=given, source=source, store_id=store_id, recorded_at=now
    )


@transaction.atomic
def shopper_profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    phone: str,
    language: str,
    marketing_consent: bool,
    store_id: int | None = None,
    source: str = ConsentSource.PROFILE,
) -> ShopperProfile:
    """Write what a shopper says about themselves. The names also become the account's
    full name (what staff pages show), the language the one of their emails; a change of
    marketing consent is dated and recorded with the store it was made on."""
    first_name = _check_field(
        model=ShopperProfile, field="first_name", value=_text(first_name), required=True
    )
    last_name = _check_field(
        model=ShopperProfile, field="last_name", value=_text(last_name), required=True
    )
    phone = _check_field(model=ShopperProfile, field="phone", value=_text(phone), required=False)
    language = language_validate(language=language)
    # The row lock makes two saves at once (two tabs) write one after the other, each
    # recording its own consent change.
    profile, _created = ShopperProfile.objects.select_for_update().get_or_create(user=user)
    profile.first_name, profile.last_name, profile.phone = first_name, last_name, phone
    if profile.signup_store_id is None and source == ConsentSource.SIGNUP:
        profile.signup_store_id = store_id
    _consent_set(profile=profile, given=bool(marketing_consent), source=source, store_id=store_id)
    profile.save()
    user.full_name = f"{first_name} {last_name}"
    user.language = language
    user.save(update_fields=["full_name", "language"])
    return profile


def shopper_signup_complete(
    *,
    user: User,
    first_name: str,
    last_name: str,
    language: str,
    marketing_consent: bool,
    store_id: int | None,
) -> ShopperProfile:
    """The profile of an account just created on a store's sign-up page."""
    return shopper_profile_update(
        user=user,
        first_name=first_name,
        last_name=last_name,
        phone="",
        language=language,
        marketing_consent=marketing_consent,
        store_id=store_id,
        source=ConsentSource.SIGNUP,
    )


# --- Address book ------------------------------------------------------------------------------

ADDRESS_BOOK_LIMIT = 50


@dataclass(frozen=True)
class AddressInput:
    first_name: str
    last_name: str
    line1: str
    postal_code: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    label: str = ""
    company: str = ""
    line2: str = ""
    phone: str = ""
    vat_number: str = ""


ADDRESS_REQUIRED = frozenset({"first_name", "last_name", "line1", "postal_code", "city", "country"})


def address_validate(*, data: AddressInput) -> dict[str, str]:
    """The address's values, cleaned (a VAT number normalised, "lu" read as LU); else
    AccountError naming the first field that is wrong."""
    values = {}
    for item in fields(AddressInput):
        values[item.name] = _check_field(
            model=Address,
            field=item.name,
            value=_text(getattr(data, item.name)),
            required=item.name in ADDRESS_REQUIRED,
        )
    country = values["country"].upper()
    if country not in countries:
        raise AccountError(
            AccountErrorCode.COUNTRY_INVALID,
            _("“%(country)s” is not a country code we know.") % {"country": values["country"]},
            field="country",
        )
    values["country"] = country
    if values["vat_number"]:
        try:
            values["vat_number"] = str(vat_number_parse(values["vat_number"]))
        except InvalidVatNumber as exc:
            raise AccountError(
                AccountErrorCode.VAT_NUMBER_INVALID,
                _(
                    "“%(number)s” is not a valid EU VAT number: check the country prefix "
                    "and the digits."
                )
                % {"number": values["vat_number"]},
                field="vat_number",
            ) from exc
    return values


def _address_book_lock(*, user: User) -> None:
    """Serialise the writes to one shopper's address book (a lock on their user row): two
    parallel requests switching the default then never meet on the one-default constraint."""
    list(User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk"))


def _address_of(*, user: User, address_id: int) -> Address:
    address = Address.objects.filter(user_id=user.pk, pk=address_id).first()
    if address is None:
        # Someone else's address and no address at all look the same.
        raise AccountError(AccountErrorCode.ADDRESS_NOT_FOUND, _("This address does not exist."))
    return address


def _default_flag(kind: str) -> str:
    if kind not in AddressKind.values:
        raise AccountError(
            AccountErrorCode.ADDRESS_KIND_INVALID, _("Choose shipping or billing."), field="kind"
        )
    return f"is_default_{kind}"


def _make_default(*, user: User, address: Address, kinds: list[str]) -> None:
    """Make ``address`` the default of each kind: clear the old default first, then set the
    new one (the partial unique index is checked row by row, never at the end)."""
    for kind in kinds:
        flag = _default_flag(kind)
        Address.objects.filter(user_id=user.pk, **{flag: True}).exclude(pk=address.pk).update(
            **{flag: False}
        )
        if not getattr(address, flag):
            setattr(address, flag, True)
            Address.objects.filter(pk=address.pk).update(**{flag: True})


@transaction.atomic
def address_create(
    *,
    user: User,
    data: AddressInput,
    default_shipping: bool = False,
    default_billing: bool = False,
) -> Address:
    """Add an address to the shopper's book. The first one is the default of both kinds, so
    a book with addresses always has one default shipping and one default billing address."""
    values = address_validate(data=data)
    _address_book_lock(user=user)
    count = Address.objects.filter(user_id=user.pk).count()
    if count >= ADDRESS_BOOK_LIMIT:
        raise AccountError(
            AccountErrorCode.ADDRESS_LIMIT_REACHED,
            _("An address book holds at most %(limit)d addresses: delete one first.")
            % {"limit": ADDRESS_BOOK_LIMIT},
        )
    address = Address.objects.create(user=user, **values)
    kinds = [
        kind
        for kind, wanted in (
            (AddressKind.SHIPPING, default_shipping),
            (AddressKind.BILLING, default_billing),
        )
        if wanted or count == 0
    ]
    _make_default(user=user, address=address, kinds=kinds)
    return address


@transaction.atomic
def address_update(
    *,
    user: User,
    address_id: int,
    data: AddressInput,
    default_shipping: bool = False,
    default_billing: bool = False,
) -> Address:
    """Change one of the shopper's own addresses (another's is ADDRESS_NOT_FOUND). The
    default flags only make it a default; another address becoming default ends that."""
    values = address_validate(data=data)
    _address_book_lock(user=user)
    address = _address_of(user=user, address_id=address_id)
    for name, value in values.items():
        setattr(address, name, value)
    address.save(update_fields=[*values, "updated_at"])
    kinds = [
        kind
        for kind, wanted in (
            (AddressKind.SHIPPING, default_shipping),
            (AddressKind.BILLING, default_billing),
        )
        if wanted
    ]
    _make_default(user=user, address=address, kinds=kinds)
    return address


@transaction.atomic
def address_set_default(*, user: User, address_id: int, kind: str) -> Address:
    _default_flag(kind)
    _address_book_lock(user=user)
    address = _address_of(user=user, address_id=address_id)
    _make_default(user=user, address=address, kinds=[kind])
    return address


@transaction.atomic
def address_delete(*, user: User, address_id: int) -> None:
    """Delete one of the shopper's own addresses. Were it a default, the most recently
    changed of the others takes its place. Orders keep their own copy of it."""
    _address_book_lock(user=user)
    address = _address_of(user=user, address_id=address_id)
    kinds = [kind for kind in AddressKind.values if getattr(address, _default_flag(kind))]
    address.delete()
    successor = Address.objects.filter(user_id=user.pk).order_by("-updated_at", "-pk").first()
    if successor is not None:
        _make_default(user=user, address=successor, kinds=kinds)
