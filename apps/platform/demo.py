"""The demo platform `make run` shows: a platform admin and the merchant "demo" with two stores
and one staff account per role. Loading it twice changes nothing the second time."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_tenants.utils import tenant_context

from apps.accounts.models import User
from apps.accounts.services import user_create
from apps.tenancy.models import Merchant
from apps.tenancy.selectors import merchant_domains, merchant_get
from apps.tenancy.services import merchant_provision
from apps.tenancy.stores.models import Store
from apps.tenancy.stores.roles import Role
from apps.tenancy.stores.services import staff_member_add, store_create, store_update_details

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
