"""allauth behaviour that depends on which kind of host the request came to."""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import parseaddr
from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import translation

from apps.accounts.services import EMAIL_CONSTRAINTS
from apps.accounts.throttling import client_ip_address
from apps.core.db import violated_constraint
from apps.tenancy.hosts import HostKind, host_kind


def mail_language(user: object) -> str:
    """The language of a mail to ``user``: the one they chose (their profile), else the one
    the request is answered in (the page they just used)."""
    chosen = getattr(user, "language", "") or ""
    if chosen in {code for code, _name in settings.LANGUAGES}:
        return chosen
    return translation.get_language() or settings.LANGUAGE_CODE


def mail_sender_name(request: HttpRequest | None) -> str:
    """Who a mail comes from, as the reader knows them: the store on a storefront, the
    merchant on its dashboard host, else the platform."""
    if request is None:
        return "Orion"
    store = getattr(request, "store", None)
    if host_kind(request) == HostKind.STOREFRONT and store is not None:
        return store.name
    if host_kind(request) == HostKind.DASHBOARD:
        return request.tenant.name
    return "Orion"


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

    # --- Mails (address verification, password reset ...) ---------------------------------
    # allauth's own templates and translations, signed with the store's (or merchant's) name
    # instead of the host name, in the language the reader chose.

    def _site(self, request: HttpRequest | None) -> SimpleNamespace:
        domain = request.get_host() if request is not None else settings.ORION_BASE_DOMAIN
        return SimpleNamespace(name=mail_sender_name(request), domain=domain)

    def format_email_subject(self, subject: str) -> str:
        return f"[{mail_sender_name(allauth_context.request)}] {subject}"

    def get_from_email(self) -> str:
        # "Maison Demo <no-reply@...>": the platform's address under the store's name.
        _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        return str(
            Address(display_name=mail_sender_name(allauth_context.request), addr_spec=address)
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, **context, "current_site": self._site(request)}
        with translation.override(mail_language(context.get("user"))):
            message = self.render_mail(template_prefix, email, ctx)
        message.send()
