"""Customer records: one per shopper and store, found or created race-free, listed, searched,
sorted by their statistics and exported for Mailchimp."""

import csv
import io
import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from apps.customers.errors import CustomerError, CustomerErrorCode
from apps.customers.models import Customer
from apps.customers.selectors import (
    MAILCHIMP_HEADERS,
    average_order,
    customer_get,
    customer_list,
    customers_csv,
)
from apps.customers.services import (
    customer_get_or_create_for_order,
    customer_marketing_consent_set,
    customer_statistics_add_order,
)
from apps.tenancy.services import merchant_archive, merchant_delete, merchant_provision
from apps.tenancy.stores.models import Store
from apps.tenancy.stores.services import store_create
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        yield alpha.store()


def test_one_record_per_address_and_store(shop, alpha):
    first, created = customer_get_or_create_for_order(
        store=shop, email=" Anne@Example.COM ", first_name="Anne", phone="+352 123"
    )
    again, created_again = customer_get_or_create_for_order(
        store=shop, email="anne@example.com", first_name="Other", last_name="Weber"
    )
    assert created and not created_again and first.pk == again.pk
    # An order fills what is empty, never overwrites.
    assert (again.email, again.first_name, again.last_name, again.phone) == (
        "anne@example.com",
        "Anne",
        "Weber",
        "+352 123",
    )
    other_store = store_create(merchant=alpha.merchant, name="Outlet", slug="outlet-c")
    elsewhere, created = customer_get_or_create_for_order(
        store=other_store, email="anne@example.com"
    )
    assert created and elsewhere.pk != first.pk


def test_a_registered_shopper_is_linked_and_found_by_account(shop):
    user = UserFactory(email="reg@example.com")
    guest, _ = customer_get_or_create_for_order(store=shop, email="reg@example.com")
    linked, created = customer_get_or_create_for_order(
        store=shop, email="reg@example.com", user=user
    )
    assert not created and linked.pk == guest.pk and linked.user == user
    # After changing their address, the shopper's orders still go to their record.
    same, created = customer_get_or_create_for_order(store=shop, email="new@example.com", user=user)
    assert not created and same.pk == guest.pk


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"email": "nope"}, CustomerErrorCode.EMAIL_INVALID),
        ({"email": ""}, CustomerErrorCode.EMAIL_INVALID),
        ({"email": "a@example.com", "language": "xx"}, CustomerErrorCode.LANGUAGE_INVALID),
        ({"email": "a@example.com", "first_name": "x" * 101}, CustomerErrorCode.VALUE_INVALID),
        ({"email": "a@example.com", "phone": "+352\x00"}, CustomerErrorCode.VALUE_INVALID),
    ],
)
def test_bad_input(shop, kwargs, code):
    with pytest.raises(CustomerError) as excinfo:
        customer_get_or_create_for_order(store=shop, **kwargs)
    assert excinfo.value.code == code
    assert not Customer.objects.exists()


def test_parallel_first_orders_of_one_address_make_one_record(django_db_setup):
    """Ten connections create the same new customer at once: one row, everyone gets it."""
    slug = f"cust{uuid.uuid4().hex[:8]}"
    state: dict = {"ids": [], "errors": []}
    lock = threading.Lock()

    def in_thread(fn, merchant=None):
        def run():
            try:
                if merchant is not None:
                    with tenant_context(merchant):
                        fn()
                else:
                    fn()
            except BaseException as exc:
                state["errors"].append(exc)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def provision():
        state["merchant"] = merchant_provision(
            slug=slug, name="C SARL", owner_email=f"o@{slug}.lu", owner_password=PASSWORD
        )

    in_thread(provision).join(timeout=120)
    merchant = state["merchant"]
    barrier = threading.Barrier(10)

    def create():
        store = Store.objects.get()
        barrier.wait(timeout=60)
        customer, _created = customer_get_or_create_for_order(store=store, email="same@example.com")
        with lock:
            state["ids"].append(customer.pk)

    try:
        threads = [in_thread(create, merchant) for _ in range(10)]
        for thread in threads:
            thread.join(timeout=120)
        assert not state["errors"], state["errors"]
        assert len(state["ids"]) == 10 and len(set(state["ids"])) == 1

        def count():
            state["count"] = Customer.objects.count()

        in_thread(count, merchant).join()
        assert state["count"] == 1
    finally:

        def drop():
            merchant_archive(merchant=merchant)
            merchant_delete(merchant=merchant, confirmation=slug)

        in_thread(drop).join(timeout=120)
    assert not state["errors"], state["errors"]


def test_statistics_updates_add_up_and_keep_first_and_last(shop):
    customer, _ = customer_get_or_create_for_order(store=shop, email="s@example.com")
    now = timezone.now()
    customer_statistics_add_order(customer_id=customer.pk, total=D("10.00"), placed_at=now)
    customer_statistics_add_order(
        customer_id=customer.pk, total=D("5.50"), placed_at=now - timedelta(days=3)
    )
    customer.refresh_from_db()
    assert (customer.orders_count, customer.total_spent) == (2, D("15.50"))
    assert customer.first_order_at == now - timedelta(days=3) and customer.last_order_at == now
    assert average_order(customer) == D("7.75")


def make(shop, email, *, first="", last="", orders=0, spent="0", consent=False, days=0, lang="fr"):
    customer, _ = customer_get_or_create_for_order(
        store=shop, email=email, first_name=first, last_name=last, language=lang
    )
    at = timezone.now() - timedelta(days=days)
    for _n in range(orders):
        customer_statistics_add_order(
            customer_id=customer.pk, total=D(spent) / orders, placed_at=at
        )
    if consent:
        customer_marketing_consent_set(customer=customer, consent=True)
    customer.refresh_from_db()
    return customer


def test_list_search_filters_and_sorts(shop):
    anne = make(shop, "anne@example.com", first="Anne", last="Weber", orders=3, spent="300",
                consent=True, days=1)  # fmt: skip
    bob = make(shop, "bob@example.org", first="Bob", last="Muller", orders=1, spent="500", days=9)
    cleo = make(shop, "cleo@example.com", first="Cléo", last="Adam", lang="de")
    emails = lambda qs: [c.email for c in qs]  # noqa: E731
    assert emails(customer_list(store=shop, sort="spent")) == [bob.email, anne.email, cleo.email]
    assert emails(customer_list(store=shop, sort="orders")) == [anne.email, bob.email, cleo.email]
    assert emails(customer_list(store=shop, sort="last_order")) == [
        anne.email,
        bob.email,
        cleo.email,
    ]
    assert emails(customer_list(store=shop, sort="name")) == [cleo.email, bob.email, anne.email]
    assert emails(customer_list(store=shop, search="WEBER")) == [anne.email]
    assert emails(customer_list(store=shop, search="example.com anne")) == [anne.email]
    assert emails(customer_list(store=shop, has_orders=False)) == [cleo.email]
    assert emails(customer_list(store=shop, marketing_consent=True)) == [anne.email]
    assert emails(customer_list(store=shop, language="de")) == [cleo.email]
    assert emails(customer_list(store=shop, search="%")) == []
    with pytest.raises(CustomerError) as excinfo:
        customer_list(store=shop, sort="password")
    assert excinfo.value.code == CustomerErrorCode.SORT_INVALID
    assert customer_get(customer_id=anne.pk, store=shop) == anne
    assert customer_get(customer_id=999_999, store=shop) is None


def test_mailchimp_export(shop):
    make(
        shop, "anne@example.com", first="Anne", last="Weber", orders=3, spent="99.99", consent=True
    )
    make(shop, "evil@example.com", first='=HYPERLINK("http://x")', last="-2+3")
    text = customers_csv(customer_list(store=shop, sort="email"))
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == MAILCHIMP_HEADERS
    today = timezone.localdate().isoformat()
    assert rows[1] == ["anne@example.com", "Anne", "Weber", "fr", "yes", "3", "99.99", "33.33",
                       today, today]  # fmt: skip
    # Formula-like names cannot run in a spreadsheet.
    assert rows[2][:5] == ["evil@example.com", '\'=HYPERLINK("http://x")', "'-2+3", "fr", "no"]
    assert rows[2][5:] == ["0", "0.00", "0.00", "", ""]


def test_consent_is_the_shoppers_latest_choice(shop):
    """A guest decides at checkout (the customer record); a registered shopper in their profile
    too: the more recent choice counts, in the list filter and the export."""
    from apps.accounts.services import shopper_profile_update

    user = UserFactory(email="both@example.com")
    customer, _ = customer_get_or_create_for_order(
        store=shop, email=user.email, user=user, marketing_consent=True
    )
    listed = customer_list(store=shop, marketing_consent=True)
    assert [c.email for c in listed] == [user.email]
    profile = {"first_name": "Bo", "last_name": "Th", "phone": "", "language": "fr"}
    shopper_profile_update(user=user, marketing_consent=True, **profile)
    shopper_profile_update(user=user, marketing_consent=False, **profile)  # withdrawn later
    assert not customer_list(store=shop, marketing_consent=True).exists()
    assert [c.email for c in customer_list(store=shop, marketing_consent=False)] == [user.email]
    rows = list(csv.reader(io.StringIO(customers_csv(customer_list(store=shop)))))
    assert rows[1][4] == "no"
    customer_marketing_consent_set(customer=Customer.objects.get(pk=customer.pk), consent=True)
    assert customer_list(store=shop, marketing_consent=True).count() == 1
