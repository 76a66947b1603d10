"""Use cases of the platform: provisioning, archiving and deleting merchants.

Provisioning is one transaction: PostgreSQL DDL is transactional, so the cloned schema, the
merchant row, its domains, first store and owner account either all exist or none does.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from apps.accounts.services import email_validate, password_validate, user_create
from apps.core.db import violated_constraint
from apps.tenancy.cloning import schema_clone
from apps.tenancy.domains import (
    RESERVED_HOST_LABELS,
    dashboard_host_for,
    domain_add,
    host_label_validate,
    slug_reserved_error,
)
from apps.tenancy.errors import TenancyError, TenancyErrorCode
from apps.tenancy.models import Language, Merchant, Plan
from apps.tenancy.stores.roles import Role
from apps.tenancy.stores.services import staff_member_add, store_create
from apps.tenancy.template import template_schema_ensure, template_schema_name

# A merchant's slug is a host label right under the platform's domain and a PostgreSQL schema
# name: besides the reserved host labels, names of the platform's own pages and schemas.
RESERVED_SLUGS = RESERVED_HOST_LABELS | frozenset(
    {
        "billing", "demo-template", "docs", "help", "information-schema", "platform", "public",
        "shop", "status", "support", "tenant-template",
    }
)  # fmt: skip
# The unique constraints that mean "a merchant with this slug already exists".
MERCHANT_UNIQUE_CONSTRAINTS = frozenset(
    {"tenancy_merchant_slug_key", "tenancy_merchant_schema_name_key"}
)


def slug_validate(*, slug: str) -> str:
    """A merchant slug: a valid host label that is not reserved."""
    slug = host_label_validate(label=slug, field="slug")
    if slug in RESERVED_SLUGS or slug.startswith("pg"):
        raise slug_reserved_error(slug=slug)
    return slug


def schema_name_for(*, slug: str) -> str:
    return slug.replace("-", "_")


def merchant_provision(
    *,
    slug: str,
    name: str,
    owner_email: str,
    owner_password: str | None = None,
    owner_name: str = "",
    country: str = "LU",
    legal_name: str = "",
    plan: str = Plan.TRIAL,
    store_name: str = "",
    store_slug: str = "shop",
    store_language: str = Language.FRENCH,
) -> Merchant:
    """Create a working merchant: schema, dashboard host, first store and its host, owner.

    ``owner_password=None`` creates the owner without a usable password; they set one through
    the password-reset email.
    """
    slug = slug_validate(slug=slug)
    owner_email = email_validate(email=owner_email)
    if owner_password is not None:
        password_validate(password=owner_password, email=owner_email)
    name = (name or "").strip()
    if not name:
        raise TenancyError(
            TenancyErrorCode.NAME_REQUIRED, _("The merchant needs a name."), field="name"
        )
    if Merchant.objects.filter(slug=slug).exists():
        raise TenancyError(
            TenancyErrorCode.SLUG_TAKEN,
            _("A merchant with the slug “%(slug)s” already exists.") % {"slug": slug},
            field="slug",
        )
    template_schema_ensure()

    try:
        with transaction.atomic():
            merchant = Merchant(
                schema_name=schema_name_for(slug=slug),
                slug=slug,
                name=name,
                legal_name=legal_name or name,
                country=country,
                plan=plan,
            )
            merchant.save()
            schema_clone(source=template_schema_name(), target=merchant.schema_name)
            domain_add(merchant=merchant, host=dashboard_host_for(slug=slug))
            with tenant_context(merchant):
                store_create(
                    merchant=merchant,
                    name=store_name or name,
                    slug=store_slug,
                    country=country,
                    default_language=store_language,
                    legal_name=legal_name or name,
                )
                owner = user_create(
                    email=owner_email,
                    password=owner_password,
                    full_name=owner_name,
                    email_verified=True,
                )
                staff_member_add(user=owner, role=Role.OWNER)
    except IntegrityError as exc:
        # Two provisionings of one slug raced; the loser's transaction is rolled back whole.
        if violated_constraint(exc) not in MERCHANT_UNIQUE_CONSTRAINTS:
            raise
        raise TenancyError(
            TenancyErrorCode.SLUG_TAKEN,
            _("A merchant with the slug “%(slug)s” already exists.") % {"slug": slug},
            field="slug",
        ) from exc
    return merchant


@transaction.atomic
def merchant_archive(*, merchant: Merchant) -> Merchant:
    """Take a merchant offline: all its hosts answer 404. Its data stays untouched."""
    Merchant.objects.filter(pk=merchant.pk, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    merchant.refresh_from_db(fields=["archived_at"])
    return merchant


@transaction.atomic
def merchant_restore(*, merchant: Merchant) -> Merchant:
    Merchant.objects.filter(pk=merchant.pk).update(archived_at=None)
    merchant.refresh_from_db(fields=["archived_at"])
    return merchant


@transaction.atomic
def merchant_delete(*, merchant: Merchant, confirmation: str) -> None:
    """Drop a merchant's schema and rows for good. Only an archived merchant, and only when
    ``confirmation`` repeats its slug."""
    merchant = Merchant.objects.select_for_update().get(pk=merchant.pk)
    if not merchant.is_archived:
        raise TenancyError(
            TenancyErrorCode.NOT_ARCHIVED,
            _("Archive the merchant before deleting it."),
        )
    if confirmation != merchant.slug:
        raise TenancyError(
            TenancyErrorCode.CONFIRMATION_MISMATCH,
            _("Type the merchant's slug “%(slug)s” to confirm the deletion.")
            % {"slug": merchant.slug},
            field="confirmation",
        )
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in this transaction (rows written in it)
        # would block DROP SCHEMA; run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    merchant.delete(force_drop=True)
