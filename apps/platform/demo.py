"""The demo platform `make run` shows: a platform admin and the merchant "demo" with two stores
and one staff account per role. Loading it twice changes nothing the second time."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from apps.accounts.models import User
from apps.accounts.services import user_create
from apps.platform.demo_catalog import demo_catalog_load
from apps.tenancy.models import Merchant
from apps.tenancy.selectors import merchant_domains, merchant_get
from apps.tenancy.services import merchant_provision
from apps.tenancy.stores.models import Store
from apps.tenancy.stores.roles import Role
from apps.tenancy.stores.services import staff_member_add, store_create, store_update_details
from apps.vat.records.models import VatLedgerEntry
from apps.vat.records.services import Buyer, QuoteLine, vat_sale_record, vat_settings_update

DEMO_PASSWORD = "Orion-demo-2026"  # noqa: S105 (published demo credentials, dev only)
PLATFORM_ADMIN_EMAIL = "admin@orion.localhost"
DEMO_SLUG = "demo"
STAFF_NAMES = {
    "owner@demo.lu": "Claire Weber",
    "admin@demo.lu": "Marc Schmit",
    "manager@demo.lu": "Sophie Muller",
    "staff@demo.lu": "Tom Hoffmann",
    "viewer@demo.lu": "Léa Klein",
}
STAFF_EMAILS = {
    Role.OWNER: "owner@demo.lu",
    Role.ADMIN: "admin@demo.lu",
    Role.MANAGER: "manager@demo.lu",
    Role.STAFF: "staff@demo.lu",
    Role.VIEWER: "viewer@demo.lu",
}
STORES = [
    {
        "slug": "boutique",
        "name": "Maison Demo",
        "default_language": "fr",
        "details": {
            "legal_name": "Maison Demo SARL",
            "street": "12, rue de l'Alzette",
            "postal_code": "L-4011",
            "city": "Esch-sur-Alzette",
            "email": "bonjour@demo.lu",
            "phone": "+352 26 00 00 01",
            "registration_number": "RCS B000001",
        },
    },
    {
        "slug": "outlet",
        "name": "Demo Outlet",
        "default_language": "de",
        "details": {
            "legal_name": "Maison Demo SARL",
            "street": "1, route d'Arlon",
            "postal_code": "L-8008",
            "city": "Strassen",
            "email": "outlet@demo.lu",
        },
    },
]


@dataclass
class DemoReport:
    created: list[str]


@transaction.atomic
def demo_load() -> DemoReport:
    created: list[str] = []
    if not User.objects.filter(email=PLATFORM_ADMIN_EMAIL).exists():
        user_create(
            email=PLATFORM_ADMIN_EMAIL,
            password=DEMO_PASSWORD,
            full_name="Platform Admin",
            email_verified=True,
            is_platform_admin=True,
        )
        created.append("platform admin")

    merchant = merchant_get(slug=DEMO_SLUG)
    if merchant is None:
        first = STORES[0]
        merchant = merchant_provision(
            slug=DEMO_SLUG,
            name="Maison Demo",
            legal_name="Maison Demo SARL",
            owner_email=STAFF_EMAILS[Role.OWNER],
            owner_password=DEMO_PASSWORD,
            owner_name=STAFF_NAMES[STAFF_EMAILS[Role.OWNER]],
            store_name=first["name"],
            store_slug=first["slug"],
            store_language=first["default_language"],
        )
        created.append("merchant demo")

    with tenant_context(merchant):
        created += _demo_stores(merchant)
        created += _demo_staff()
        created += _demo_vat()
        for index, store in enumerate(Store.objects.order_by("pk")):
            made = demo_catalog_load(store=store, products=160 if index == 0 else 80, seed=index)
            if made:
                created.append(f"{made} products in {store.slug}")
    return DemoReport(created=created)


def _demo_stores(merchant: Merchant) -> list[str]:
    created = []
    for spec in STORES:
        store = Store.objects.filter(slug=spec["slug"]).first()
        if store is None:
            store = store_create(
                merchant=merchant,
                name=spec["name"],
                slug=spec["slug"],
                default_language=spec["default_language"],
            )
            created.append(f"store {spec['slug']}")
        if not store.street:
            store_update_details(store=store, data=spec["details"])
    return created


def _demo_staff() -> list[str]:
    created = []
    for role, email in STAFF_EMAILS.items():
        if User.objects.filter(email=email).exists():
            continue
        user = user_create(
            email=email, password=DEMO_PASSWORD, full_name=STAFF_NAMES[email], email_verified=True
        )
        staff_member_add(user=user, role=role)
        created.append(f"{role} {email}")
    return created


DEMO_VAT_NUMBER = "LU12345613"  # check digits valid, not a real company's number
DEMO_SALE_COUNTRIES = ["FR", "DE", "BE", "FR", "NL", "DE", "LU", "IT", "AT", "FR", "CH", "BE"]


def _demo_vat() -> list[str]:
    """VAT settings for both stores and a year and a half of taxed sales in the VAT ledger, so
    the threshold and the OSS return have something to show (orders will feed it later)."""
    if VatLedgerEntry.objects.exists():
        return []
    stores = list(Store.objects.order_by("pk"))
    for store in stores:
        vat_settings_update(store=store, data={"vat_number": DEMO_VAT_NUMBER})
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)
    today = timezone.localdate()
    start = date(today.year - 1, 1, 15)
    days = (today - start).days
    for n in range(90):
        day = start + timedelta(days=int(days * n / 90))
        vat_sale_record(
            store=stores[n % len(stores)],
            reference=f"DEMO-{n + 1:04d}",
            buyer=Buyer(country=DEMO_SALE_COUNTRIES[n % len(DEMO_SALE_COUNTRIES)]),
            supply_date=day,
            lines=[
                QuoteLine(
                    quantity=Decimal(rng.randint(1, 4)),
                    unit_price=Decimal(rng.randint(1500, 9900)) / 100,
                    tax_class=rng.choice(["standard", "standard", "books", "foodstuffs"]),
                )
                for _ in range(rng.randint(1, 4))
            ],
        )
    return ["VAT settings and 90 taxed sales"]


def demo_urls(*, port: int | None) -> list[tuple[str, str]]:
    """(label, URL) pairs of the demo's hosts, for `make run` to print."""
    suffix = f":{port}" if port and port not in (80, 443) else ""
    base = settings.ORION_BASE_DOMAIN
    rows = [("Platform console", f"http://{base}{suffix}/admin/")]
    merchant = merchant_get(slug=DEMO_SLUG)
    if merchant is None:
        return rows
    for domain in merchant_domains(merchant=merchant):
        if domain.store_id is None:
            rows.append(("Demo merchant dashboard", f"http://{domain.domain}{suffix}/dashboard/"))
        else:
            rows.append(("Demo storefront", f"http://{domain.domain}{suffix}/"))
    return rows
