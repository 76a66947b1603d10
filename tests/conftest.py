"""Test set-up. Two merchants, alpha and beta, are provisioned once per test session (per xdist
worker) through the real provisioning service; each test runs in a transaction that is rolled
back, so tests may provision more merchants (schema DDL is transactional in PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tenants.utils import tenant_context

from apps.tenancy.models import Merchant
from apps.tenancy.services import merchant_provision
from apps.tenancy.stores.models import Store
from apps.tenancy.template import template_schema_ensure
from tests.factories import PASSWORD, StaffMemberFactory, UserFactory


@dataclass
class MerchantFixture:
    merchant: Merchant
    owner_email: str
    dashboard_host: str
    storefront_host: str

    def store(self) -> Store:
        with tenant_context(self.merchant):
            return Store.objects.get(slug="shop")


def _provision(slug: str) -> MerchantFixture:
    merchant = merchant_provision(
        slug=slug,
        name=f"{slug.title()} SARL",
        owner_email=f"owner@{slug}.lu",
        owner_password=PASSWORD,
    )
    return MerchantFixture(
        merchant=merchant,
        owner_email=f"owner@{slug}.lu",
        dashboard_host=f"{slug}.orion.test",
        storefront_host=f"shop.{slug}.orion.test",
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        template_schema_ensure()
        fixtures = {"alpha": _provision("alpha"), "beta": _provision("beta")}
    yield fixtures


@pytest.fixture
def alpha(django_db_setup, db) -> MerchantFixture:
    return django_db_setup["alpha"]


@pytest.fixture
def beta(django_db_setup, db) -> MerchantFixture:
    return django_db_setup["beta"]


@pytest.fixture(autouse=True)
def _public_schema_and_default_language():
    # Requests switch the schema and the active language of the thread; start each test clean.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    connection.set_schema_to_public()
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # allauth's rate limits live in the cache (one confirmation mail per address every three
    # minutes): a sign-up in one test must not silence the same address's mail in the next.
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def host_client():
    """A test client bound to one host: host_client("alpha.orion.test")."""

    def make(host: str) -> Client:
        return Client(HTTP_HOST=host)

    return make


@pytest.fixture
def staff_client(host_client):
    """A client logged in on a merchant's dashboard host as a new staff member of a role."""

    def make(fixture: MerchantFixture, role: str) -> tuple[Client, object]:
        with tenant_context(fixture.merchant):
            member = StaffMemberFactory(role=role)
            client = host_client(fixture.dashboard_host)
            client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
        return client, member

    return make


@pytest.fixture
def console(client):
    """A client logged in to the platform console as a platform admin."""
    from apps.accounts.services import user_create

    admin = user_create(
        email="root@orion.test", password=PASSWORD, email_verified=True, is_platform_admin=True
    )
    client.defaults["HTTP_HOST"] = "orion.test"
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def race_merchant(db):
    """A merchant of its own, committed, for races on real parallel connections (see
    tests/parallel.py); its schema is dropped after the test."""
    from tests.parallel import race_merchant_create, race_merchant_drop

    merchant = race_merchant_create()
    yield merchant
    race_merchant_drop(merchant)


@pytest.fixture
def in_tenant():
    """Context manager: run ORM code inside a merchant's schema."""
    return tenant_context


__all__ = ["PASSWORD", "UserFactory"]
