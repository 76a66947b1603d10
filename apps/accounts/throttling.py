"""How django-axes names the account a failed login was for, and the address it came from.

allauth authenticates with ``email=...``, Django admin with ``username=...`` (our username field
is the email), and the login form posts ``login``; all three name the same account.
"""

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def login_identifier(request: HttpRequest, credentials: dict | None) -> str | None:
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        value = credentials.get(key)
        if value:
            return str(value).strip().lower()
    data = getattr(request, "POST", {}) or {}
    for key in ("login", "username", "email"):
        value = data.get(key)
        if value:
            return str(value).strip().lower()
    return None


def client_ip_address(request: HttpRequest) -> str | None:
    """The address of the client behind ``ORION_PROXY_COUNT`` reverse proxies.

    Each proxy appends the address it was reached from to X-Forwarded-For, and the last one
    connects to gunicorn (REMOTE_ADDR). So behind N proxies the client is the N-th entry from
    the right; anything left of it was written by the client and is ignored. With N = 0, or
    when the header is shorter than N says (a request that bypassed the proxies), only
    REMOTE_ADDR is believed.
    """
    proxies = settings.ORION_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR") or None
    if proxies <= 0:
        return remote
    # python-ipware counts the proxies listed in the header: all but the last, which is
    # REMOTE_ADDR. Not strict: a longer header only means the client sent one of its own.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or remote
