"""Customer records: one per shopper per store, found or created when an order is placed, and
the statistics the orders services keep (orders, total spent, first and last order)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.selectors import shopper_profile_get
from apps.accounts.services import normalize_email
from apps.core.validation import field_errors
from apps.customers.errors import CustomerError, CustomerErrorCode
from apps.customers.models import Customer
from apps.tenancy.models import Language
from apps.tenancy.stores.models import Store


def customer_email_validate(*, email: str) -> str:
    """The normalised address (lower case, trimmed), or a clear error."""
    address = normalize_email(email)
    errors = field_errors(Customer, "email", address)
    if not address or errors:
        raise CustomerError(
            CustomerErrorCode.EMAIL_INVALID,
            _("“%(email)s” is not a valid email address.") % {"email": address},
            field="email",
        )
    return address


def _text(name: str, value: str) -> str:
    value = " ".join(str(value or "").split())
    errors = field_errors(Customer, name, value)
    if "\x00" in value:  # PostgreSQL text cannot hold it
        errors.append(_("The text contains a NUL character."))
    if errors:
        raise CustomerError(
            CustomerErrorCode.VALUE_INVALID,
            " ".join(str(error) for error in errors),
            field=name,
        )
    return value


def _fill_blanks(customer: Customer, values: dict[str, str]) -> list[str]:
    """Copy the given values into the fields the customer has left empty (an order never
    overwrites what a shopper typed in their profile)."""
    changed = []
    for name, value in values.items():
        if value and not getattr(customer, name):
            setattr(customer, name, value)
            changed.append(name)
    return changed


def _insert_unless_taken(customer: Customer) -> bool:
    """``INSERT ... ON CONFLICT DO NOTHING RETURNING id``: True, with the primary key set, when
    the row went in; False when a unique constraint (this address, or this account, in the
    store) holds another row. One statement and no savepoint: a refused insert does not abort
    the caller's transaction (the order being placed)."""
    fields = [f for f in Customer._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(customer, True), connection) for f in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Customer._meta.db_table)} "  # names from the model
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT DO NOTHING RETURNING {quote(Customer._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    customer.pk = row[0]
    customer._state.adding = False
    return True


def customer_get_or_create_for_order(
    *,
    store: Store,
    email: str,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    language: str = "",
    marketing_consent: bool = False,
) -> tuple[Customer, bool]:
    """The store's record of this shopper, created on their first order. Race-safe: two
    parallel first orders of one address meet at the unique constraint (store, email); the
    second insert waits for the first, does nothing, and reads the winner's row. Names and
    phone fill only fields that are still empty; ``marketing_consent`` True records consent
    (False changes nothing: withdrawing is customer_marketing_consent_set)."""
    email = customer_email_validate(email=email)
    if user is not None:
        # A registered shopper's own profile says best who they are (docs/shoppers.md).
        # (An account that never saved a profile has only names split from its full name: the
        # order's names come first then.)
        profile = shopper_profile_get(user=user)
        saved = profile.pk is not None
        first_name = (
            (profile.first_name or first_name) if saved else (first_name or profile.first_name)
        )
        last_name = (profile.last_name or last_name) if saved else (last_name or profile.last_name)
        phone = profile.phone or phone
        language = language or (user.language if user.language in Language.values else "")
    values = {
        "first_name": _text("first_name", first_name),
        "last_name": _text("last_name", last_name),
        "phone": _text("phone", phone),
    }
    if language and language not in Language.values:
        raise CustomerError(
            CustomerErrorCode.LANGUAGE_INVALID,
            _("Unknown language “%(language)s”.") % {"language": language},
            field="language",
        )
    match = Q(email=email) | Q(user=user) if user is not None else Q(email=email)
    created = False
    # A registered shopper's own record comes first (they may have changed their address).
    customer = (
        Customer.objects.filter(match, store=store)
        .order_by(F("user_id").asc(nulls_last=True), "id")
        .first()
    )
    if customer is None:
        customer = Customer(
            store=store,
            email=email,
            user=user,
            language=language or store.default_language,
            marketing_consent=marketing_consent,
            marketing_consent_at=timezone.now() if marketing_consent else None,
            **values,
        )
        created = _insert_unless_taken(customer)
        if not created:
            # A parallel first order of this shopper holds the address (or the account): it
            # has committed now (PostgreSQL made us wait for it); read its row.
            customer = Customer.objects.filter(match, store=store).order_by("id").first()
            if customer is None:  # pragma: no cover - the constraint named a row we cannot see
                raise CustomerError(
                    CustomerErrorCode.VALUE_INVALID,
                    _("This customer could not be recorded; try again."),
                )
    if not created:
        changed = _fill_blanks(customer, values)
        if user is not None and customer.user_id is None:
            customer.user = user
            changed.append("user")
        if marketing_consent and not customer.marketing_consent:
            customer.marketing_consent, customer.marketing_consent_at = True, timezone.now()
            changed += ["marketing_consent", "marketing_consent_at"]
        if changed:
            customer.save(update_fields=[*changed, "updated_at"])
    return customer, created


@transaction.atomic
def customer_marketing_consent_set(*, customer: Customer, consent: bool) -> Customer:
    """Record that the shopper gives (or withdraws) consent to marketing emails, with the date
    (what a Mailchimp import and a data-protection enquiry both need). Each call is the
    shopper's latest choice, so it is dated even when it repeats the previous one."""
    customer.marketing_consent = bool(consent)
    customer.marketing_consent_at = timezone.now()
    customer.save(update_fields=["marketing_consent", "marketing_consent_at", "updated_at"])
    return customer


def customer_statistics_add_order(*, customer_id: int, total: Decimal, placed_at: datetime) -> None:
    """Count one more order: one UPDATE with F() expressions, so parallel orders of the same
    shopper both count (no read-modify-write)."""
    Customer.objects.filter(pk=customer_id).update(
        orders_count=F("orders_count") + 1,
        total_spent=F("total_spent") + total,
        first_order_at=Coalesce(Least(F("first_order_at"), placed_at), placed_at),
        last_order_at=Coalesce(Greatest(F("last_order_at"), placed_at), placed_at),
        updated_at=timezone.now(),
    )


def customer_statistics_subtract_refund(*, customer_id: int, amount: Decimal) -> None:
    """A refund lowers what the shopper spent (never below zero)."""
    Customer.objects.filter(pk=customer_id).update(
        total_spent=Greatest(F("total_spent") - amount, Decimal("0")),
        updated_at=timezone.now(),
    )


@dataclass(frozen=True)
class CustomerStatistics:
    orders_count: int
    total_spent: Decimal
    first_order_at: datetime | None
    last_order_at: datetime | None


@transaction.atomic
def customer_statistics_refresh(*, customer_id: int) -> CustomerStatistics:
    """Recompute the statistics from the orders (after a cancellation). The customer's row is
    locked first, so the orders are read after every order that already updated the row has
    committed, and an order placed meanwhile adds itself afterwards: nothing is lost."""
    from apps.orders.selectors import order_statistics_for_customer  # orders depend on us

    Customer.objects.select_for_update().filter(pk=customer_id).values_list("pk").first()
    stats = order_statistics_for_customer(customer_id=customer_id)
    Customer.objects.filter(pk=customer_id).update(
        orders_count=stats["orders_count"],
        total_spent=stats["total_spent"],
        first_order_at=stats["first_order_at"],
        last_order_at=stats["last_order_at"],
        updated_at=timezone.now(),
    )
    return CustomerStatistics(**stats)
