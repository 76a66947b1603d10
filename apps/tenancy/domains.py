"""Host names: which host serves which merchant dashboard or storefront."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.tenancy.errors import TenancyError, TenancyErrorCode
from apps.tenancy.models import Domain, Merchant

LABEL_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
# Host labels with a technical meaning of their own: as a merchant's or a store's slug they
# would make `admin.<merchant>.<base>` or `mail.<base>` look like the platform's or the
# merchant's infrastructure (phishing, mail and certificate set-ups). Refused for merchants
# and stores alike; merchants have a few more (apps.tenancy.services.RESERVED_SLUGS). "shop"
# stays allowed for stores: it is the first store's default slug.
RESERVED_HOST_LABELS = frozenset(
    {
        "admin", "api", "app", "assets", "autoconfig", "autodiscover", "cdn", "dashboard", "dns",
        "ftp", "imap", "localhost", "mail", "media", "ns1", "ns2", "pop", "smtp", "static",
        "webmail", "www",
    }
)  # fmt: skip
HOST_PATTERN = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def host_label_validate(*, label: str, field: str = "slug") -> str:
    """A slug that becomes one label of a host name (and, for merchants, a schema name)."""
    label = (label or "").strip().lower()
    if not LABEL_PATTERN.match(label) or "--" in label:
        raise TenancyError(
            TenancyErrorCode.SLUG_INVALID,
            _(
                "“%(slug)s” is not a valid slug: use 3 to 40 lower-case letters, digits and "
                "single hyphens, starting with a letter."
            )
            % {"slug": label},
            field=field,
        )
    if label in RESERVED_HOST_LABELS:
        raise slug_reserved_error(slug=label, field=field)
    return label


def slug_reserved_error(*, slug: str, field: str = "slug") -> TenancyError:
    return TenancyError(
        TenancyErrorCode.SLUG_RESERVED,
        _("The slug “%(slug)s” is reserved. Choose another one.") % {"slug": slug},
        field=field,
    )


def host_validate(*, host: str) -> str:
    host = (host or "").strip().lower().rstrip(".")
    if not HOST_PATTERN.match(host):
        raise TenancyError(
            TenancyErrorCode.DOMAIN_INVALID,
            _("“%(host)s” is not a valid host name.") % {"host": host},
            field="domain",
        )
    if host in settings.ORION_PUBLIC_HOSTS:
        raise TenancyError(
            TenancyErrorCode.DOMAIN_TAKEN,
            _("The host %(host)s belongs to the platform.") % {"host": host},
            field="domain",
        )
    return host


def domain_add(*, merchant: Merchant, host: str, store_id: int | None = None) -> Domain:
    """Point a host at the merchant's dashboard (no store) or at one store's storefront."""
    host = host_validate(host=host)
    if Domain.objects.filter(domain=host).exists():
        raise TenancyError(
            TenancyErrorCode.DOMAIN_TAKEN,
            _("The host %(host)s is already in use.") % {"host": host},
            field="domain",
        )
    try:
        with transaction.atomic():
            return Domain.objects.create(
                domain=host, tenant=merchant, store_id=store_id, is_primary=store_id is None
            )
    except IntegrityError as exc:  # lost a race for the same host
        raise TenancyError(
            TenancyErrorCode.DOMAIN_TAKEN,
            _("The host %(host)s is already in use.") % {"host": host},
            field="domain",
        ) from exc


def dashboard_host_for(*, slug: str) -> str:
    return f"{slug}.{settings.ORION_BASE_DOMAIN}"


def storefront_host_for(*, merchant_slug: str, store_slug: str) -> str:
    return f"{store_slug}.{merchant_slug}.{settings.ORION_BASE_DOMAIN}"
