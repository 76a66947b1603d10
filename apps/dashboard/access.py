"""Who may see and change what in the dashboard.

Every dashboard view inherits DashboardView: the user must be logged in on this merchant's host
(the session lives in the merchant's schema), be an active staff member, and hold the view's
permission — ``permission`` for reading, ``write_permission`` for POST requests.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.views import View

from apps.tenancy.stores.models import Store
from apps.tenancy.stores.roles import ROLE_PERMISSIONS, Permission
from apps.tenancy.stores.selectors import staff_member_for_user, store_get, store_list

SESSION_STORE_KEY = "dashboard_store_id"


def current_store(request: HttpRequest) -> Store | None:
    """The store the dashboard is looking at: the one chosen in the switcher, else the oldest."""
    store = store_get(store_id=request.session.get(SESSION_STORE_KEY))
    return store or store_list().order_by("pk").first()


class DashboardView(LoginRequiredMixin, View):
    permission: str = Permission.VIEW
    write_permission: str | None = None
    section: str = "home"

    def required_permission(self, request: HttpRequest) -> str:
        if request.method not in ("GET", "HEAD", "OPTIONS") and self.write_permission:
            return self.write_permission
        return self.permission

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        member = staff_member_for_user(user=request.user)
        if member is None:
            raise PermissionDenied(_("This account is not a member of this merchant's staff."))
        if not member.has_permission(self.required_permission(request)):
            raise PermissionDenied(
                _("Your role (%(role)s) does not allow this action.")
                % {"role": member.get_role_display()}
            )
        request.staff = member
        request.store = current_store(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            staff=self.request.staff,
            staff_permissions=ROLE_PERMISSIONS[self.request.staff.role],
            stores=store_list(),
            section=self.section,
        )
        return context


class PageExportView(DashboardView):
    """A download (CSV, XLSX) of what one dashboard page shows.

    It needs exactly the permission of its page, read from the page itself, so that the two
    cannot drift apart: an export never hands out what its page would refuse, and whoever may
    read the page may take its data along.
    """

    page: type[DashboardView]

    def required_permission(self, request: HttpRequest) -> str:
        return self.page.permission
