"""Staff roles and what each may do in the dashboard (and later the store API)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Manager")
    STAFF = "staff", pgettext_lazy("role", "Staff")  # the role, not the staff page ("Team")
    VIEWER = "viewer", _("Viewer")


class Permission(models.TextChoices):
    VIEW = "view", _("See the dashboard")
    MANAGE_ORDERS = "manage_orders", _("Manage orders, shipments and returns")
    MANAGE_CATALOG = "manage_catalog", _("Manage products")
    MANAGE_INVENTORY = "manage_inventory", _("Manage stock")
    MANAGE_CUSTOMERS = "manage_customers", _("Manage customers and messages")
    MANAGE_INVOICES = "manage_invoices", _("Issue invoices and credit notes")
    MANAGE_PURCHASING = "manage_purchasing", _("Manage suppliers and purchase orders")
    MANAGE_INTEGRATIONS = "manage_integrations", _("Manage Letzshop and API keys")
    MANAGE_SETTINGS = "manage_settings", _("Change store settings")
    MANAGE_STAFF = "manage_staff", _("Invite staff and change roles")
    MANAGE_BILLING = "manage_billing", _("Manage the subscription")


_OPERATIONS = {
    Permission.VIEW,
    Permission.MANAGE_ORDERS,
    Permission.MANAGE_INVENTORY,
    Permission.MANAGE_CUSTOMERS,
}
_MANAGEMENT = _OPERATIONS | {
    Permission.MANAGE_CATALOG,
    Permission.MANAGE_INVOICES,
    Permission.MANAGE_PURCHASING,
}
_ADMINISTRATION = _MANAGEMENT | {
    Permission.MANAGE_INTEGRATIONS,
    Permission.MANAGE_SETTINGS,
    Permission.MANAGE_STAFF,
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(Permission),
    Role.ADMIN: frozenset(_ADMINISTRATION),
    Role.MANAGER: frozenset(_MANAGEMENT),
    Role.STAFF: frozenset(_OPERATIONS),
    Role.VIEWER: frozenset({Permission.VIEW}),
}

# Who may hand out which role: nobody grants a role above their own.
ROLE_RANK = {Role.VIEWER: 0, Role.STAFF: 1, Role.MANAGER: 2, Role.ADMIN: 3, Role.OWNER: 4}


def role_has_permission(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def role_can_grant(granter_role: str, role: str) -> bool:
    return ROLE_RANK.get(granter_role, -1) >= ROLE_RANK.get(role, 99)
