"""Read queries of the platform (public schema)."""

from __future__ import annotations

from django.db.models import F, QuerySet

from apps.tenancy.models import Domain, Merchant, PlatformSettings


def domain_for_host(*, host: str) -> Domain | None:
    """The live domain for a host name; archived merchants' hosts are not found."""
    return (
        Domain.objects.select_related("tenant")
        .filter(domain=host, tenant__archived_at__isnull=True)
        .first()
    )


def merchant_list(*, include_archived: bool = False) -> QuerySet[Merchant]:
    merchants = Merchant.objects.all()
    if not include_archived:
        merchants = merchants.filter(archived_at__isnull=True)
    return merchants


def merchant_get(*, slug: str) -> Merchant | None:
    return Merchant.objects.filter(slug=slug).first()


def merchant_domains(*, merchant: Merchant) -> QuerySet[Domain]:
    # The dashboard host (no store) first, then storefronts in the order the stores opened.
    return Domain.objects.filter(tenant=merchant).order_by(
        F("store_id").asc(nulls_first=True), "domain"
    )


def platform_settings_get() -> PlatformSettings:
    settings_row, _created = PlatformSettings.objects.get_or_create(pk=1)
    return settings_row
