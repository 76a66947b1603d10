"""An LU store selling a shirt (standard rate, 117.00 with VAT) and a book (10.30 with 3% VAT),
stock for both, and helpers to place orders the way the checkout will."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from apps.catalog.models import Product
from apps.inventory.models import StockLocation
from apps.inventory.services import stock_receive
from apps.orders.services import (
    AddressInput,
    BuyerInput,
    OrderLineInput,
    ShippingInput,
    order_place,
)
from apps.vat.records.services import vat_settings_update
from tests.factories import VariantFactory
from tests.fakes.vies import FakeVies

D = Decimal
SELLER_NUMBER = "LU12345613"
BE_BUSINESS = "BE0403019261"

ADDRESSES = {
    "LU": AddressInput("Anne Weber", "12 rue de Hollerich", "L-1741", "Luxembourg", "LU"),
    "DE": AddressInput("Jonas Müller", "Invalidenstraße 5", "10115", "Berlin", "DE"),
    "BE": AddressInput(
        "Marc Peeters", "Rue Royale 10", "1000", "Bruxelles", "BE", company="Exemple SPRL"
    ),
    "CH": AddressInput("Lea Keller", "Bahnhofstrasse 1", "8001", "Zürich", "CH"),
    "FR": AddressInput("Claire Martin", "3 rue de Metz", "57000", "Metz", "FR"),
}


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        store = alpha.store()
        vat_settings_update(store=store, data={"vat_number": SELLER_NUMBER})
        yield store


@pytest.fixture
def main_location(shop):
    return StockLocation.objects.get(code="main")


def make_variant(store, *, sku, price, tax_class="standard", stock=10, name=None, **extra):
    variant = VariantFactory(store=store, sku=sku, price=price, **extra)
    Product.objects.filter(pk=variant.product_id).update(
        tax_class=tax_class,
        name_en=name or f"{sku} (en)",
        name_fr=name or f"{sku} (fr)",
        name_de=name or f"{sku} (de)",
    )
    variant.refresh_from_db()
    if stock:
        stock_receive(
            variant=variant,
            location=StockLocation.objects.get(code="main"),
            quantity=stock,
            reference="PO-TEST",
        )
    return variant


@pytest.fixture
def shirt(shop):
    return make_variant(shop, sku="SHIRT-M", price="117.00", options={"size": "M"})


@pytest.fixture
def book(shop):
    return make_variant(shop, sku="BOOK-1", price="10.30", tax_class="books")


def buyer(country="LU", email="anne@example.com", **extra) -> BuyerInput:
    return BuyerInput(email=email, billing_address=ADDRESSES[country], **extra)


def place(store, lines, *, country="LU", shipping=None, channel="web", actor_kind="customer",
          buyer_input=None, **extra):  # fmt: skip
    """lines: [(variant, quantity)] or OrderLineInput."""
    return order_place(
        store=store,
        channel=channel,
        lines=[
            line if isinstance(line, OrderLineInput) else OrderLineInput(line[0].pk, line[1])
            for line in lines
        ],
        buyer=buyer_input or buyer(country),
        shipping=shipping,
        payment_method="bank_transfer",
        actor_kind=actor_kind,
        **extra,
    )


@pytest.fixture
def fake_vies(settings):
    server = FakeVies().start()
    settings.VIES_BASE_URL = server.base_url
    server.register(BE_BUSINESS, "Exemple SPRL", "Rue Royale 10\n1000 Bruxelles")
    yield server
    server.stop()


__all__ = ["D", "ShippingInput", "buyer", "make_variant", "place"]
