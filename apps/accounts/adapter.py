"""allauth behaviour that depends on which kind of host the request came to."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from apps.accounts.services import EMAIL_CONSTRAINTS
from apps.accounts.throttling import client_ip_address
from apps.core.db import violated_constraint
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

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        if not commit:
            return super().save_user(request, user, form, commit=False)
        try:
            with transaction.atomic():
                return super().save_user(request, user, form, commit=True)
        except IntegrityError as exc:
            # A parallel sign-up with the same address got in first (both passed the form's
            # check): answer as allauth answers a known address, with the page saying that a
            # verification mail was sent — not a server error, and nothing to enumerate.
            if violated_constraint(exc) not in EMAIL_CONSTRAINTS:
                raise
            raise ImmediateHttpResponse(
                self.respond_email_verification_sent(request, None)
            ) from exc
