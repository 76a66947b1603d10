"""A product's own VAT rate per country, where its goods category does not give the right one."""

import json
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from apps.catalog.errors import CatalogError
from apps.catalog.models import Product, ProductVatRate
from apps.catalog.services import (
    VariantInput,
    product_create,
    product_vat_rates_set,
    vat_rates_parse,
)
from apps.tenancy.stores.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(alpha):
    with tenant_context(alpha.merchant):
        yield product_create(
            store=alpha.store(),
            names={"fr": "Atlas"},
            tax_class="books",
            variants=[VariantInput(sku="ATLAS", price="30")],
        )


def rates_of(product):
    return {r.country: r.rate for r in ProductVatRate.objects.filter(product=product)}


def test_rates_are_replaced_as_a_whole_and_normalised(book, alpha):
    with tenant_context(alpha.merchant):
        product_vat_rates_set(product=book, rates={"fr": "5,5", "IT": "4", "PT-30": "5"})
        assert rates_of(book) == {"FR": Decimal("5.50"), "IT": Decimal("4.00"), "PT-30": 5}
        product_vat_rates_set(product=book, rates={"FR": "2.1"})
        assert rates_of(book) == {"FR": Decimal("2.10")}
        product_vat_rates_set(product=book, rates={})
        assert rates_of(book) == {}


@pytest.mark.parametrize(
    "rates",
    [{"US": "5"}, {"FR": "100"}, {"FR": "-1"}, {"FR": "abc"}, {"FR": "５"}, {"FR": "5.555"},
     {"FR": "1e400"}, {"FR\x00": "5"}],
)  # fmt: skip
def test_bad_rates_are_refused_and_nothing_changes(book, alpha, rates):
    with tenant_context(alpha.merchant):
        product_vat_rates_set(product=book, rates={"DE": "7"})
        with pytest.raises(CatalogError) as error:
            product_vat_rates_set(product=book, rates={"IT": "4", **rates})
        assert error.value.code == "vat_rate_invalid" and error.value.field == "vat_rates"
        assert rates_of(book) == {"DE": Decimal("7.00")}


def test_the_written_form_is_parsed_with_a_clear_message():
    assert vat_rates_parse(raw=" FR=5.5 ; IT=4 ;") == {"FR": "5.5", "IT": "4"}
    with pytest.raises(CatalogError, match=r"FR=5\.5;IT=4"):
        vat_rates_parse(raw="FR 5.5")


def test_the_product_form_sets_shows_and_refuses_rates(book, alpha, staff_client):
    client, _ = staff_client(alpha, Role.MANAGER)
    page = client.get(f"/dashboard/products/{book.pk}/").content.decode()
    form = {
        "name_fr": "Atlas", "tax_class": "books", "is_active": "on", "vat_rates": "FR=5.5;IT=4",
        "v-TOTAL_FORMS": "1", "v-INITIAL_FORMS": "1", "v-MIN_NUM_FORMS": "0",
        "v-MAX_NUM_FORMS": "100", "v-0-id": str(book.variants.get().pk), "v-0-sku": "ATLAS",
        "v-0-price": "30", "v-0-is_active": "on",
    }  # fmt: skip
    assert 'name="vat_rates"' in page
    assert client.post(f"/dashboard/products/{book.pk}/", form).status_code == 302
    with tenant_context(alpha.merchant):
        assert rates_of(book) == {"FR": Decimal("5.50"), "IT": Decimal("4.00")}
    page = client.get(f"/dashboard/products/{book.pk}/").content.decode()
    assert 'value="FR=5.5;IT=4"' in page
    refused = client.post(f"/dashboard/products/{book.pk}/", {**form, "vat_rates": "US=5"})
    assert refused.status_code == 400
    assert "is not an EU member state" in refused.content.decode()
    with tenant_context(alpha.merchant):
        assert rates_of(book) == {"FR": Decimal("5.50"), "IT": Decimal("4.00")}


def test_the_store_api_takes_and_returns_rates(alpha, beta, staff_client):
    client, _ = staff_client(alpha, Role.MANAGER)
    body = {
        "names": {"fr": "Journal"}, "tax_class": "newspapers", "vat_rates": {"FR": "2.1"},
        "variants": [{"sku": "NEWS", "price": "2.00"}],
    }  # fmt: skip
    created = client.post("/api/v1/store/products/", json.dumps(body), "application/json")
    assert created.status_code == 201 and created.json()["vat_rates"] == {"FR": "2.10"}
    bad = {**body, "variants": [{"sku": "NEWS2", "price": "2"}], "vat_rates": {"ZZ": "1"}}
    refused = client.post("/api/v1/store/products/", json.dumps(bad), "application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "vat_rate_invalid"
    with tenant_context(alpha.merchant):
        assert not Product.objects.filter(variants__sku="NEWS2").exists()
    other, _ = staff_client(beta, Role.OWNER)
    listed = other.get("/api/v1/store/products/?q=NEWS").json()
    assert listed["count"] == 0
