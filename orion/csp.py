"""The Content-Security-Policy (django-csp; the policy is in settings.CONTENT_SECURITY_POLICY).

One exception: the platform console. Django admin's pages, as django-tenants overrides them, carry
inline styles, so on the platform host's /admin/ pages styles may be inline. Scripts stay
limited to our own static files there too.
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

from apps.tenancy.hosts import HostKind, host_kind

CONSOLE_PREFIX = "/admin/"


class OrionCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if host_kind(request) == HostKind.PLATFORM and request.path.startswith(CONSOLE_PREFIX):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts
