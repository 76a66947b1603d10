"""Placing an order: VAT in every case the checkout meets, snapshots, numbering, statistics,
the confirmation email, and bad input that leaves nothing behind."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from apps.catalog.models import Product, ProductVatRate, Variant
from apps.customers.models import Customer
from apps.inventory.models import StockLevel, StockMovement
from apps.orders.errors import OrderError, OrderErrorCode
from apps.orders.models import Order, OrderCounter, OrderLine, OrderStatusChange
from apps.orders.services import (
    AddressInput,
    BuyerInput,
    OrderLineInput,
    ShippingInput,
    order_place,
)
from apps.vat.records.models import VatLedgerEntry
from apps.vat.records.services import vat_settings_update
from tests.factories import UserFactory
from tests.orders.conftest import ADDRESSES, BE_BUSINESS, D, buyer, make_variant, place

pytestmark = pytest.mark.django_db


def reserved(variant) -> int:
    return sum(level.reserved for level in StockLevel.objects.filter(variant=variant))


def assert_amounts_add_up(order: Order) -> None:
    lines = list(order.lines.all())
    assert sum((line.net_amount for line in lines), D("0")) + order.shipping_net == order.total_net
    assert sum((line.vat_amount for line in lines), D("0")) + order.shipping_vat == order.total_vat
    assert order.total_net + order.total_vat + order.rounding_amount == order.total_gross
    for line in lines:
        assert line.net_amount + line.vat_amount == line.gross_amount
    rows = order.vat_rows
    assert sum((row["vat"] for row in rows), D("0")) == order.total_vat
    assert sum((row["taxable"] for row in rows), D("0")) == order.total_net
    ledger = VatLedgerEntry.objects.filter(reference=order.number)
    assert sorted((e.category, e.rate, e.taxable, e.vat) for e in ledger) == sorted(
        (r["category"], Decimal(str(r["rate"])).quantize(D("0.01")), r["taxable"], r["vat"])
        for r in rows
    )


def test_luxembourg_consumer_with_shipping_split_over_the_goods_rates(shop, shirt, book):
    order = place(
        shop,
        [(shirt, 2), (book, 1)],
        shipping=ShippingInput(method="Post Luxembourg", amount="5.85"),
    )
    assert order.number == f"SHOP-{timezone.localdate().year}-00001"
    assert (order.vat_regime, order.vat_country, order.channel) == ("domestic", "LU", "web")
    assert order.prices_include_vat
    # Shipping bears the goods' VAT: 5.60 at 17% and 0.25 at 3% (split by value).
    assert (order.total_net, order.total_vat, order.total_gross) == (
        D("215.03"),
        D("35.12"),
        D("250.15"),
    )
    assert order.vat_rows == [
        {"category": "S", "rate": D("3"), "taxable": D("10.24"), "vat": D("0.31")},
        {"category": "S", "rate": D("17"), "taxable": D("204.79"), "vat": D("34.81")},
    ]
    assert (order.shipping_net, order.shipping_vat, order.shipping_gross) == (
        D("5.03"),
        D("0.82"),
        D("5.85"),
    )
    lines = {line.sku: line for line in order.lines.all()}
    assert (lines["SHIRT-M"].net_amount, lines["SHIRT-M"].vat_amount) == (D("200.00"), D("34.00"))
    assert (lines["BOOK-1"].net_amount, lines["BOOK-1"].vat_amount) == (D("10.00"), D("0.30"))
    assert lines["BOOK-1"].vat_rate == D("3.00") and lines["BOOK-1"].tax_class == "books"
    assert_amounts_add_up(order)
    # Snapshots: the line keeps the catalogue's name, SKU, options and price of the moment.
    shirt_line = lines["SHIRT-M"]
    assert (shirt_line.product_name, shirt_line.options_text, shirt_line.unit_price) == (
        "SHIRT-M (fr)",
        "size: M",
        D("117.00"),
    )
    Variant.objects.filter(pk=shirt.pk).update(price="150.00", sku="SHIRT-RENAMED")
    Product.objects.filter(pk=shirt.product_id).update(name_fr="Autre nom")
    shirt_line.refresh_from_db()
    assert (shirt_line.sku, shirt_line.product_name, shirt_line.unit_price) == (
        "SHIRT-M",
        "SHIRT-M (fr)",
        D("117.00"),
    )
    # Addresses are copied.
    assert (order.billing_name, order.shipping_postal_code, order.shipping_country) == (
        "Anne Weber",
        "L-1741",
        "LU",
    )
    # Stock reserved under the order's number; history starts with "pending".
    assert reserved(shirt) == 2 and reserved(book) == 1
    references = StockMovement.objects.filter(kind="reservation").values_list("reference")
    assert set(references) == {(order.number,)}
    history = list(
        OrderStatusChange.objects.filter(order=order).values_list(
            "from_status", "to_status", "actor_kind"
        )
    )
    assert history == [("", "pending", "customer")]


def test_german_consumer_below_the_threshold_pays_luxembourg_vat(shop, shirt):
    order = place(shop, [(shirt, 1)], country="DE")
    assert (order.vat_regime, order.vat_country) == ("origin", "LU")
    assert (order.total_net, order.total_vat, order.total_gross) == (
        D("100.00"),
        D("17.00"),
        D("117.00"),
    )
    entry = VatLedgerEntry.objects.get(reference=order.number)
    assert entry.counts_toward_threshold and entry.destination_country == "DE"


def test_german_consumer_under_the_oss_pays_german_vat(shop, shirt):
    vat_settings_update(store=shop, data={"oss_registered": True})
    order = place(shop, [(shirt, 1)], country="DE")
    assert (order.vat_regime, order.vat_country) == ("oss", "DE")
    # The store keeps gross prices: 117.00 with 19% German VAT.
    assert (order.total_net, order.total_vat, order.total_gross) == (
        D("98.32"),
        D("18.68"),
        D("117.00"),
    )
    assert order.lines.get().vat_rate == D("19.00")
    assert_amounts_add_up(order)


def test_belgian_business_with_a_valid_vat_number_is_exempt(shop, shirt, fake_vies):
    order = place(
        shop,
        [(shirt, 1)],
        buyer_input=buyer("BE", email="achats@exemple.be", is_business=True,
                          vat_number="BE 0403.019.261"),
    )  # fmt: skip
    assert (order.vat_regime, order.vat_category, order.vat_exemption_code) == (
        "intra_community",
        "K",
        "VATEX-EU-IC",
    )
    # The shelf price 117.00 includes 17% LU VAT that does not apply: the business pays 100.00.
    assert (order.total_net, order.total_vat, order.total_gross) == (
        D("100.00"),
        D("0.00"),
        D("100.00"),
    )
    assert order.billing_vat_number == BE_BUSINESS and order.buyer_is_business
    assert order.vat_number_check.status == "valid"
    assert "138" in order.vat_mention["fr"] and "Reverse charge" in order.vat_mention["en"]
    assert order.billing_company == "Exemple SPRL"
    assert_amounts_add_up(order)


def test_swiss_delivery_is_an_export(shop, shirt):
    order = place(shop, [(shirt, 1)], country="CH")
    assert (order.vat_regime, order.vat_category, order.vat_exemption_code) == (
        "export",
        "G",
        "VATEX-EU-G",
    )
    assert (order.total_net, order.total_vat, order.total_gross) == (
        D("100.00"),
        D("0.00"),
        D("100.00"),
    )
    assert not VatLedgerEntry.objects.get(reference=order.number).counts_toward_threshold


def test_a_book_to_a_french_consumer_under_the_oss_is_at_five_point_five(shop, book):
    vat_settings_update(store=shop, data={"oss_registered": True})
    order = place(shop, [(book, 1)], country="FR")
    line = order.lines.get()
    assert (order.vat_regime, order.vat_country, line.vat_rate) == ("oss", "FR", D("5.50"))
    assert (order.total_net, order.total_vat, order.total_gross) == (
        D("9.76"),
        D("0.54"),
        D("10.30"),
    )


def test_a_product_own_rate_is_used(shop, book):
    vat_settings_update(store=shop, data={"oss_registered": True})
    ProductVatRate.objects.create(product_id=book.product_id, country="FR", rate="2.10")
    order = place(shop, [(book, 1)], country="FR")
    assert order.lines.get().vat_rate == D("2.10")


def test_delivery_address_decides_the_vat_not_the_billing_address(shop, shirt):
    order = place(
        shop,
        [(shirt, 1)],
        buyer_input=BuyerInput(
            email="anne@example.com",
            billing_address=ADDRESSES["LU"],
            shipping_address=ADDRESSES["CH"],
        ),
    )
    assert order.vat_regime == "export"
    assert (order.billing_country, order.shipping_country) == ("LU", "CH")


def test_customer_record_and_statistics(shop, shirt, book):
    first = place(shop, [(shirt, 1)])
    second = place(shop, [(book, 2)], buyer_input=buyer(email="  ANNE@example.com "))
    customer = Customer.objects.get()
    assert (customer.email, customer.first_name, customer.last_name) == (
        "anne@example.com",
        "Anne",
        "Weber",
    )
    assert customer.orders_count == 2
    assert customer.total_spent == first.total_gross + second.total_gross == D("137.60")
    assert customer.first_order_at == first.created_at
    assert customer.last_order_at == second.created_at
    assert first.customer_id == second.customer_id == customer.pk
    assert customer.language == "fr"  # the store's default language


def test_a_registered_shopper_gets_their_customer_record_and_consent(shop, shirt):
    user = UserFactory(email="reg@example.com")
    order = place(
        shop,
        [(shirt, 1)],
        buyer_input=buyer(email="reg@example.com", user=user, language="de",
                          first_name="Regina", last_name="Schmit", marketing_consent=True),
    )  # fmt: skip
    customer = order.customer
    assert (customer.user, customer.first_name, customer.language) == (user, "Regina", "de")
    assert customer.marketing_consent and customer.marketing_consent_at is not None
    assert order.language == "de"
    assert order.lines.get().product_name == "SHIRT-M (de)"


def test_confirmation_email_after_commit_in_the_shoppers_language(
    shop, shirt, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(shop, [(shirt, 1)], buyer_input=buyer("DE", language="de"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anne@example.com"]
    assert order.number in message.subject
    assert "Ihre Bestellung" in message.subject or order.number in message.body
    html = message.alternatives[0][0]
    assert "SHIRT-M (de)" in html and "117,00" in html
    assert "117,00" in message.body
    order.refresh_from_db()
    assert order.confirmation_sent_at is not None


def test_the_number_sequence_has_no_gap_after_refused_orders(shop, shirt):
    year = timezone.localdate().year
    first = place(shop, [(shirt, 1)])
    with pytest.raises(OrderError):
        place(shop, [(shirt, 1000)])  # out of stock, after the number was allocated
    with pytest.raises(OrderError):
        place(shop, [(shirt, 1)], expected_total="1.00")
    second = place(shop, [(shirt, 1)])
    assert [first.number, second.number] == [f"SHOP-{year}-00001", f"SHOP-{year}-00002"]
    assert OrderCounter.objects.get(store=shop, year=year).last_number == 2


def test_expected_total_matches(shop, shirt):
    order = place(shop, [(shirt, 1)], expected_total="117.00")
    assert order.total_gross == D("117.00")


# --- Bad input: a clear error and nothing left behind -------------------------------------


def nothing_left(shop, *variants):
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not VatLedgerEntry.objects.exists()
    assert not Customer.objects.exists()
    assert not OrderCounter.objects.filter(store=shop, last_number__gt=0).exists()
    for variant in variants:
        assert reserved(variant) == 0


def refused(shop, code, *args, **kwargs) -> OrderError:
    with pytest.raises(OrderError) as excinfo:
        place(shop, *args, **kwargs)
    assert excinfo.value.code == code, excinfo.value.message
    assert str(excinfo.value.message)
    return excinfo.value


@pytest.mark.parametrize("quantity", [0, -1, 10**9 * 10, 2**31, 1.5, "2", True, None])
def test_bad_quantities(shop, shirt, quantity):
    error = refused(shop, OrderErrorCode.QUANTITY_INVALID, [OrderLineInput(shirt.pk, quantity)])
    assert error.field == "lines"
    nothing_left(shop, shirt)


def test_a_billion_is_out_of_stock_and_names_the_sku(shop, shirt, book):
    error = refused(shop, OrderErrorCode.OUT_OF_STOCK, [(book, 1), OrderLineInput(shirt.pk, 10**9)])
    assert "SHIRT-M" in error.message and "BOOK-1" not in error.message
    assert error.details == [
        {"variant_id": shirt.pk, "sku": "SHIRT-M", "wanted": 10**9, "available": 10}
    ]
    nothing_left(shop, shirt, book)


def test_an_order_whose_total_would_not_fit_is_refused(shop):
    dear = make_variant(shop, sku="DEAR", price="9999999999.99", stock=0)
    refused(shop, OrderErrorCode.AMOUNT_TOO_LARGE, [OrderLineInput(dear.pk, 2_000_000_000)])
    nothing_left(shop, dear)


def test_variant_of_another_store_or_merchant_or_inactive(shop, shirt, alpha, beta, in_tenant):
    from apps.tenancy.stores.services import store_create

    other_store = store_create(merchant=alpha.merchant, name="Other", slug="other-store")
    foreign = make_variant(other_store, sku="FOREIGN", price="1.00")
    error = refused(shop, OrderErrorCode.VARIANT_UNAVAILABLE, [(foreign, 1), (shirt, 1)])
    assert "FOREIGN" not in error.message and f"#{foreign.pk}" in error.message
    inactive = make_variant(shop, sku="GONE", price="1.00", is_active=False)
    error = refused(shop, OrderErrorCode.VARIANT_UNAVAILABLE, [(inactive, 1)])
    assert "GONE" in error.message
    refused(shop, OrderErrorCode.VARIANT_UNAVAILABLE, [OrderLineInput(999_999_999, 1)])
    refused(shop, OrderErrorCode.VARIANT_UNAVAILABLE, [OrderLineInput("1", 1)])
    nothing_left(shop, shirt, foreign)


def test_stale_or_tampered_price(shop, shirt, book):
    error = refused(
        shop,
        OrderErrorCode.PRICE_CHANGED,
        [
            OrderLineInput(shirt.pk, 1, expected_unit_price="99.00"),
            OrderLineInput(book.pk, 1, expected_unit_price="10.30"),
        ],
    )
    assert error.details == [
        {"variant_id": shirt.pk, "sku": "SHIRT-M", "expected": "99.00", "current": "117.00"}
    ]
    assert "SHIRT-M" in error.message and "BOOK-1" not in error.message
    # A shopper cannot set a price; a garbage price is refused.
    refused(shop, OrderErrorCode.PRICE_NOT_ALLOWED, [OrderLineInput(shirt.pk, 1, unit_price="1")])
    for bad in ("abc", "-1", "1.001", "NaN", "Infinity", "1e400"):
        line = OrderLineInput(shirt.pk, 1, expected_unit_price=bad)
        refused(shop, OrderErrorCode.PRICE_INVALID, [line])
    refused(shop, OrderErrorCode.TOTAL_CHANGED, [(shirt, 1)], expected_total="116.99")
    nothing_left(shop, shirt, book)


def test_a_stale_cart_after_a_price_change(shop, shirt):
    seen = shirt.price
    Variant.objects.filter(pk=shirt.pk).update(price="120.00")
    refused(
        shop, OrderErrorCode.PRICE_CHANGED, [OrderLineInput(shirt.pk, 1, expected_unit_price=seen)]
    )
    nothing_left(shop, shirt)


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"name": ""}, OrderErrorCode.ADDRESS_INVALID, "billing_address.name"),
        ({"street": "   "}, OrderErrorCode.ADDRESS_INVALID, "billing_address.street"),
        ({"city": ""}, OrderErrorCode.ADDRESS_INVALID, "billing_address.city"),
        ({"postal_code": ""}, OrderErrorCode.ADDRESS_INVALID, "billing_address.postal_code"),
        ({"country": ""}, OrderErrorCode.ADDRESS_INVALID, "billing_address.country"),
        ({"country": "ZZ"}, OrderErrorCode.COUNTRY_UNKNOWN, "billing_address.country"),
        ({"country": "Luxembourg"}, OrderErrorCode.COUNTRY_UNKNOWN, "billing_address.country"),
        ({"name": "x" * 201}, OrderErrorCode.ADDRESS_INVALID, "billing_address.name"),
        ({"city": "Lux\x00"}, OrderErrorCode.ADDRESS_INVALID, "billing_address.city"),
    ],
)
def test_bad_addresses(shop, shirt, change, code, field):
    address = AddressInput(**{**ADDRESSES["LU"].__dict__, **change})
    the_buyer = BuyerInput(email="a@example.com", billing_address=address)
    error = refused(shop, code, [(shirt, 1)], buyer_input=the_buyer)
    assert error.field == field
    nothing_left(shop, shirt)


def test_a_postal_code_is_optional_outside_the_eu(shop, shirt):
    address = AddressInput("Ama Mensah", "Ring Road 1", "", "Accra", "GH")
    order = place(
        shop, [(shirt, 1)], buyer_input=BuyerInput(email="a@example.com", billing_address=address)
    )
    assert order.vat_regime == "export"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"buyer_input": buyer(email="not-an-address")}, OrderErrorCode.EMAIL_INVALID),
        ({"buyer_input": buyer(language="it")}, OrderErrorCode.LANGUAGE_INVALID),
        (
            {"buyer_input": buyer(vat_number="BE123", is_business=True)},
            OrderErrorCode.VAT_NUMBER_INVALID,
        ),
        ({"channel": "fax"}, OrderErrorCode.CHANNEL_INVALID),
        ({"actor_kind": "robot"}, OrderErrorCode.ACTOR_INVALID),
        ({"shipping": ShippingInput("Post", "-5")}, OrderErrorCode.SHIPPING_INVALID),
        ({"shipping": ShippingInput("x" * 121, "5")}, OrderErrorCode.SHIPPING_INVALID),
        ({"customer_note": "x" * 2001}, OrderErrorCode.VALUE_INVALID),
        ({"customer_note": "a\x00b"}, OrderErrorCode.VALUE_INVALID),
        ({"external_reference": "x" * 101}, OrderErrorCode.VALUE_INVALID),
        ({"buyer_input": buyer(phone="+352\x00")}, OrderErrorCode.VALUE_INVALID),
    ],
)
def test_other_bad_input(shop, shirt, kwargs, code):
    refused(shop, code, [(shirt, 1)], **kwargs)
    nothing_left(shop, shirt)


def test_no_lines_duplicate_lines_and_a_bad_payment_method(shop, shirt):
    refused(shop, OrderErrorCode.LINES_EMPTY, [])
    refused(shop, OrderErrorCode.LINE_DUPLICATE, [(shirt, 1), (shirt, 2)])
    with pytest.raises(OrderError) as excinfo:
        order_place(
            store=shop, channel="web", lines=[OrderLineInput(shirt.pk, 1)], buyer=buyer(),
            payment_method="<script>", actor_kind="customer",
        )  # fmt: skip
    assert excinfo.value.code == OrderErrorCode.PAYMENT_METHOD_INVALID
    nothing_left(shop, shirt)


def test_merchant_channels_may_set_the_price(shop, shirt):
    order = place(
        shop,
        [OrderLineInput(shirt.pk, 1, unit_price="100.00")],
        channel="manual",
        actor_kind="staff",
    )
    assert order.lines.get().unit_price == D("100.00") and order.total_gross == D("100.00")


# --- Query count: bounded, and the same for 1 and 20 lines ---------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_placing_an_order_runs_a_bounded_number_of_queries(
    shop, count, django_assert_max_num_queries
):
    variants = [make_variant(shop, sku=f"Q-{n:02d}", price="10.00") for n in range(count)]
    ProductVatRate.objects.create(product_id=variants[0].product_id, country="FR", rate="5.5")
    lines = [OrderLineInput(v.pk, 2, expected_unit_price="10.00") for v in variants]
    # A first-time shopper (customer created) and a new counter row: the dearest case.
    with django_assert_max_num_queries(30) as captured:
        order = order_place(
            store=shop, channel="web", lines=lines, buyer=buyer(),
            shipping=ShippingInput("Post", "4.90"), actor_kind="customer",
        )  # fmt: skip
    assert order.lines.count() == count
    print(f"{count} lines: {len(captured)} queries")


def test_vies_down_never_fails_a_checkout_the_order_is_flagged(shop, shirt, fake_vies):
    fake_vies.mode = "down"
    order = place(
        shop,
        [(shirt, 1)],
        buyer_input=buyer("BE", email="b@exemple.be", is_business=True, vat_number=BE_BUSINESS),
    )
    # The store's default policy: VAT is charged and a person reviews the order.
    assert (order.vat_regime, order.total_vat) == ("origin", D("17.00"))
    assert order.vat_needs_review and BE_BUSINESS in order.vat_review_reason
    assert order.vat_number_check.status == "unavailable"


def test_an_address_from_the_book_is_copied_with_its_second_line(shop, shirt):
    from apps.accounts.services import AddressInput as BookAddress
    from apps.accounts.services import address_create
    from apps.orders.services import address_input_from_book

    user = UserFactory(email="book@example.com")
    entry = address_create(
        user=user,
        data=BookAddress(
            first_name="Paul", last_name="Schmit", line1="5 rue du Fort", line2="3e étage",
            postal_code="L-2419", city="Luxembourg", country="lu", company="Schmit SARL",
        ),
    )  # fmt: skip
    address = address_input_from_book(entry)
    order = place(
        shop,
        [(shirt, 1)],
        buyer_input=BuyerInput(email=user.email, billing_address=address, user=user),
    )
    assert (order.shipping_name, order.shipping_street, order.shipping_street2) == (
        "Paul Schmit",
        "5 rue du Fort",
        "3e étage",
    )
    assert (order.billing_company, order.billing_country) == ("Schmit SARL", "LU")
    entry.line2 = "changed"
    entry.save()
    order.refresh_from_db()
    assert order.shipping_street2 == "3e étage"  # copied, not linked
    from apps.orders.emails import order_confirmation_email_send

    order_confirmation_email_send(order_id=order.pk)
    assert "3e étage" in mail.outbox[-1].body


def test_a_registered_shoppers_profile_names_the_customer(shop, shirt):
    from apps.accounts.services import shopper_profile_update

    user = UserFactory(email="prof@example.com")
    shopper_profile_update(
        user=user, first_name="Marie", last_name="Hoffmann", phone="+352 621 000 111",
        language="de", marketing_consent=False,
    )  # fmt: skip
    order = place(shop, [(shirt, 1)], buyer_input=buyer(email=user.email, user=user))
    customer = order.customer
    assert (customer.first_name, customer.last_name, customer.phone, customer.language) == (
        "Marie",
        "Hoffmann",
        "+352 621 000 111",
        "de",
    )
