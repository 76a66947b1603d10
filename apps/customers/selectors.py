"""Read queries on customers: the list (search, filters, sorting by statistics), one customer,
and the export rows for Mailchimp."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Case, F, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.spreadsheets import csv_text
from apps.customers.errors import CustomerError, CustomerErrorCode
from apps.customers.models import Customer
from apps.tenancy.stores.models import Store

CENT = Decimal("0.01")
# Sort keys the list accepts (a page's or the API's ``sort`` parameter), newest first by default.
CUSTOMER_SORTS: dict[str, tuple] = {
    "newest": (F("created_at").desc(), F("id").desc()),
    "name": ("last_name", "first_name", "email", "id"),
    "email": ("email", "id"),
    "orders": (F("orders_count").desc(), F("id").desc()),
    "-orders": (F("orders_count").asc(), F("id").asc()),
    "spent": (F("total_spent").desc(), F("id").desc()),
    "-spent": (F("total_spent").asc(), F("id").asc()),
    "last_order": (F("last_order_at").desc(nulls_last=True), F("id").desc()),
    "first_order": (F("first_order_at").asc(nulls_last=True), F("id").asc()),
}
MAX_SEARCH = 200


def marketing_consent_now() -> Case:
    """Whether the shopper accepts marketing emails now: their latest choice. A registered
    shopper decides in their profile (merchant-wide, docs/shoppers.md), a guest at checkout (the
    customer record); when both exist, the more recent one counts."""
    profile_changed = "user__shopper_profile__marketing_consent_changed_at"
    profile_is_newer = Q(**{f"{profile_changed}__isnull": False}) & (
        Q(marketing_consent_at__isnull=True)
        | Q(**{f"{profile_changed}__gt": F("marketing_consent_at")})
    )
    return Case(
        When(profile_is_newer, then=F("user__shopper_profile__marketing_consent")),
        default=F("marketing_consent"),
        output_field=BooleanField(),
    )


def customer_list(
    *,
    store: Store | None = None,
    search: str = "",
    has_orders: bool | None = None,
    marketing_consent: bool | None = None,
    language: str = "",
    registered: bool | None = None,
    sort: str = "newest",
) -> QuerySet[Customer]:
    """The merchant's customers (one store's, or every store's for the consolidated view)."""
    if sort not in CUSTOMER_SORTS:
        raise CustomerError(
            CustomerErrorCode.SORT_INVALID,
            _("Unknown sort “%(sort)s”; use one of %(sorts)s.")
            % {"sort": sort, "sorts": ", ".join(CUSTOMER_SORTS)},
            field="sort",
        )
    customers = Customer.objects.select_related("store").annotate(consent=marketing_consent_now())
    if store is not None:
        customers = customers.filter(store=store)
    words = " ".join((search or "").split())[:MAX_SEARCH].split(" ")
    for word in filter(None, words):
        customers = customers.filter(
            Q(email__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(phone__icontains=word)
        )
    if has_orders is not None:
        customers = (
            customers.filter(orders_count__gt=0) if has_orders else customers.filter(orders_count=0)
        )
    if marketing_consent is not None:
        customers = customers.filter(consent=marketing_consent)
    if language:
        customers = customers.filter(language=language)
    if registered is not None:
        customers = customers.filter(user__isnull=not registered)
    return customers.order_by(*CUSTOMER_SORTS[sort])


def customer_get(*, customer_id: int, store: Store | None = None) -> Customer | None:
    customers = Customer.objects.select_related("store", "user")
    if store is not None:
        customers = customers.filter(store=store)
    return customers.filter(pk=customer_id).first()


def average_order(customer: Customer) -> Decimal:
    if not customer.orders_count:
        return Decimal("0.00")
    return (customer.total_spent / customer.orders_count).quantize(CENT, rounding=ROUND_HALF_UP)


# Mailchimp maps "Email Address", "First Name" and "Last Name" to its own fields by name; the
# others become audience fields of the same name.
MAILCHIMP_HEADERS = (
    "Email Address",
    "First Name",
    "Last Name",
    "Language",
    "Marketing Consent",
    "Orders",
    "Total Spent",
    "Average Order",
    "First Order",
    "Last Order",
)


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def customer_export_rows(customers: Iterable[Customer]) -> Iterator[tuple]:
    """One row per customer in MAILCHIMP_HEADERS order; dates as YYYY-MM-DD, amounts as
    numbers with two decimals."""
    for customer in customers:
        yield (
            customer.email,
            customer.first_name,
            customer.last_name,
            customer.language,
            "yes" if getattr(customer, "consent", customer.marketing_consent) else "no",
            customer.orders_count,
            customer.total_spent,
            average_order(customer),
            _day(customer.first_order_at),
            _day(customer.last_order_at),
        )


def customers_csv(customers: QuerySet[Customer]) -> str:
    """The CSV file (formula-safe cells, apps.core.spreadsheets) for a Mailchimp audience
    import (customers from customer_list, whose consent is the shopper's latest choice). Filter
    on marketing consent first: only consenting shoppers may be mailed."""
    return csv_text(
        headers=MAILCHIMP_HEADERS,
        rows=customer_export_rows(customers.iterator(chunk_size=2000)),
    )
