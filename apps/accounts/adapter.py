"""allauth behaviour that depends on which kind of host the request came to."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from apps.accounts.throttling import client_ip_address
from apps.tenancy.hosts import HostKind, host_kind


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Shoppers sign up on a storefront; staff join a merchant by invitation only, and
        # platform admins are created in the console.
        return host_kind(request) == HostKind.STOREFRONT

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        kind = host_kind(request)
        if kind == HostKind.DASHBOARD:
            return "/dashboard/"
        if kind == HostKind.STOREFRONT:
            return "/account/"
        return "/"

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's rate limits (sign-up, password reset mails) see the same address as the
        # login throttle, behind the same ORION_PROXY_COUNT.
        address = client_ip_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address
