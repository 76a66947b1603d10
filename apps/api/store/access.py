"""Who may use the store API: an active staff member of the merchant whose host is called,
with the role permission the endpoint asks for (``read_permission`` / ``write_permission``)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.tenancy.hosts import HostKind, host_kind
from apps.tenancy.stores.models import Store
from apps.tenancy.stores.roles import Permission
from apps.tenancy.stores.selectors import staff_member_for_user, store_list


class IsMerchantStaff(BasePermission):
    message = _("This account is not allowed to do this for this merchant.")

    def has_permission(self, request, view) -> bool:
        if host_kind(request) != HostKind.DASHBOARD or not request.user.is_authenticated:
            return False
        member = staff_member_for_user(user=request.user)
        if member is None:
            return False
        needed = (
            getattr(view, "read_permission", Permission.VIEW)
            if request.method in SAFE_METHODS
            else getattr(view, "write_permission", Permission.MANAGE_SETTINGS)
        )
        request.staff = member
        return member.has_permission(needed)


def api_store(request) -> Store:
    """The store the call is about: ``?store=<slug>``, else the merchant's oldest store."""
    slug = request.query_params.get("store")
    stores = store_list()
    store = stores.filter(slug=slug).first() if slug else stores.order_by("pk").first()
    if store is None:
        raise NotFound(_("No store “%(slug)s” here.") % {"slug": slug})
    return store
